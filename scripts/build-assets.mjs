#!/usr/bin/env node
// Build SaferPlaces front-end assets into build/static/ (served by Django/WhiteNoise
// at /static/). Run with `npm run build` after `npm ci`.
//
//   app/app.css             frontend/scss/app.scss compiled (GOV.UK Frontend 6.3, system fonts)
//   app/init.js             frontend/js/init.js (ES module: js-enabled classes + initAll())
//   app/crime-map.js        frontend/js/crime-map.js (ES module: the Leaflet crime map)
//   app/lsoa-picker.js      frontend/js/lsoa-picker.js (ES module: pick a neighbourhood's LSOAs on a map)
//   app/period-filter.js    frontend/js/period-filter.js (ES module: the dashboard's period fields)
//   app/images/favicon.svg  our own neutral icon (no crown)
//   govuk/govuk-frontend.min.js, govuk/assets/   from node_modules/govuk-frontend/dist/govuk/
//   leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/*
//   axe/axe.min.js          used by tests/journeys (harmless to ship)
//   .build-stamp            sha256 of package-lock.json and of frontend/** (for the Makefile)
//
// GOV.UK's GDS Transport font files and crown images are deliberately NOT copied:
// a service that is not on GOV.UK must not use them (docs/adr/0006-frontend-assets-npm-sass.md).
//
// The output is built in a temporary directory and swapped in at the end, so a failed
// build never leaves a half-written build/static/ behind.

import { createHash } from 'node:crypto'
import { access, cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, posix, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nodeModules = join(root, 'node_modules')
const outDir = join(root, 'build', 'static')
const tmpDir = join(root, 'build', `.static-tmp-${process.pid}`)

// Files under govuk-frontend/dist/govuk/assets/ that carry GOV.UK branding.
const GOVUK_BRANDED = [/^fonts(\/|$)/, /^images\/govuk-/, /^images\/favicon\./, /^manifest\.json$/]

function fail (message) {
  console.error(`build-assets: ${message}`)
  process.exit(1)
}

async function readJson (path) {
  return JSON.parse(await readFile(path, 'utf8'))
}

async function checkPinnedVersions () {
  const pkg = await readJson(join(root, 'package.json'))
  const wanted = { ...pkg.dependencies, ...pkg.devDependencies }
  for (const [name, version] of Object.entries(wanted)) {
    let installed
    try {
      installed = (await readJson(join(nodeModules, name, 'package.json'))).version
    } catch {
      fail(`${name} is not installed: run \`npm ci\` first`)
    }
    if (installed !== version) {
      fail(`${name} ${installed} is installed but package.json pins ${version}: run \`npm ci\``)
    }
  }
}

async function listFiles (dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort()
}

async function sourceHash () {
  const hash = createHash('sha256')
  for (const file of [join(root, 'package-lock.json'), join(root, 'scripts', 'build-assets.mjs'),
    ...await listFiles(join(root, 'frontend'))]) {
    hash.update(relative(root, file).split(sep).join('/'))
    hash.update('\0')
    hash.update(await readFile(file))
    hash.update('\0')
  }
  return hash.digest('hex')
}

async function compileCss () {
  const result = sass.compile(join(root, 'frontend', 'scss', 'app.scss'), {
    style: 'compressed',
    importers: [new sass.NodePackageImporter(root)],
    // GOV.UK Frontend's own deprecation notices are not ours to fix.
    quietDeps: true
  })
  const css = result.css
  if (/GDS Transport|@font-face|\/fonts\//.test(css)) {
    fail('app.css still refers to GDS Transport or a font file; check $govuk-font-family and $govuk-include-default-font-face in frontend/scss/app.scss')
  }
  return css + '\n'
}

// Every url() in a stylesheet and every source map a script names must be a file we ship:
// Django's manifest storage (production `collectstatic`) refuses a file that refers to a missing
// one, and a browser would ask for it. Checked here so the build fails, not the deployment.
const REFERENCES = {
  '.css': [/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, /\/\*#\s*sourceMappingURL=()(\S+)\s*\*\//g],
  '.js': [/^\/\/#\s*sourceMappingURL=()(\S+)\s*$/gm]
}

async function checkCssUrls (dir) {
  const missing = []
  for (const file of await listFiles(dir)) {
    const patterns = REFERENCES[file.slice(file.lastIndexOf('.'))]
    if (!patterns || file.endsWith('axe.min.js')) continue
    const text = await readFile(file, 'utf8')
    const fileUrl = '/static/' + relative(dir, file).split(sep).join('/')
    for (const match of patterns.flatMap((pattern) => [...text.matchAll(pattern)])) {
      const ref = match[2].split(/[?#]/)[0]
      if (ref === '' || /^(data:|https?:|\/\/)/.test(ref)) continue
      const target = ref.startsWith('/') ? ref : posix.join(posix.dirname(fileUrl), ref)
      if (!target.startsWith('/static/')) {
        missing.push(`${relative(dir, file)}: ${ref} (outside /static/)`)
        continue
      }
      try {
        await access(join(dir, ...target.slice('/static/'.length).split('/')))
      } catch {
        missing.push(`${relative(dir, file)}: ${ref}`)
      }
    }
  }
  if (missing.length > 0) {
    throw new Error(`assets refer to files the build does not produce:\n  ${[...new Set(missing)].join('\n  ')}`)
  }
}

async function build () {
  await checkPinnedVersions()
  await rm(tmpDir, { recursive: true, force: true })
  await mkdir(join(tmpDir, 'app', 'images'), { recursive: true })

  // Our own files.
  await writeFile(join(tmpDir, 'app', 'app.css'), await compileCss())
  // Every module under frontend/js/ (init.js, crime-map.js, …) goes to app/.
  await cp(join(root, 'frontend', 'js'), join(tmpDir, 'app'), { recursive: true })
  await cp(join(root, 'frontend', 'images'), join(tmpDir, 'app', 'images'), { recursive: true })

  // GOV.UK Frontend: the JavaScript bundle and the unbranded assets (if any).
  const govuk = join(nodeModules, 'govuk-frontend', 'dist', 'govuk')
  await cp(join(govuk, 'govuk-frontend.min.js'), join(tmpDir, 'govuk', 'govuk-frontend.min.js'))
  // Source maps: the bundles name them, and the manifest storage follows every reference.
  await cp(join(govuk, 'govuk-frontend.min.js.map'), join(tmpDir, 'govuk', 'govuk-frontend.min.js.map'))
  await mkdir(join(tmpDir, 'govuk', 'assets'), { recursive: true })
  await cp(join(govuk, 'assets'), join(tmpDir, 'govuk', 'assets'), {
    recursive: true,
    filter: (source) => {
      const rel = relative(join(govuk, 'assets'), source).split(sep).join('/')
      return rel === '' || !GOVUK_BRANDED.some((pattern) => pattern.test(rel))
    }
  })

  // Leaflet.
  const leaflet = join(nodeModules, 'leaflet', 'dist')
  await cp(join(leaflet, 'leaflet.js'), join(tmpDir, 'leaflet', 'leaflet.js'))
  await cp(join(leaflet, 'leaflet.js.map'), join(tmpDir, 'leaflet', 'leaflet.js.map'))
  await cp(join(leaflet, 'leaflet.css'), join(tmpDir, 'leaflet', 'leaflet.css'))
  await cp(join(leaflet, 'images'), join(tmpDir, 'leaflet', 'images'), { recursive: true })

  // axe-core, for the browser journeys.
  await cp(join(nodeModules, 'axe-core', 'axe.min.js'), join(tmpDir, 'axe', 'axe.min.js'))

  await checkCssUrls(tmpDir)

  await writeFile(join(tmpDir, '.build-stamp'), `${await sourceHash()}\n`)

  await rm(outDir, { recursive: true, force: true })
  await rename(tmpDir, outDir)

  const files = await listFiles(outDir)
  console.log(`build-assets: wrote ${files.length} files to ${relative(root, outDir)}/`)
}

build().catch(async (error) => {
  await rm(tmpDir, { recursive: true, force: true })
  fail(error.stack ?? String(error))
})

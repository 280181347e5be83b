// Crime map (ES module): draws every [data-crime-map] element with Leaflet.
//
// Loaded by the analytics/_map.html macro after leaflet/leaflet.js (a deferred classic script,
// so window.L exists before this module runs). The page works without it: the table under the
// map holds the same figures. The GeoJSON comes from the element's data-geojson-url (see
// saferplaces.analytics.mapdata): neighbourhood polygons (properties.kind "lsoa") with their
// rate, rate class colour and Gi* class colour, repeat locations as points, and a
// "saferplaces" member with the legend and period.
//
// No tiles by default: boundaries on a plain background, so the map works with no tile server
// (and offline). data-tile-url adds a tile layer when the installation configures one.
// Everything is built with DOM methods and textContent (never innerHTML from data), and colours
// are set as SVG attributes by Leaflet, which the Content-Security-Policy allows.

const L = window.L

const OUTLINE = '#505a5f'
const POINT_COLOUR = '#4c2c92'

function text (tag, value, className) {
  const element = document.createElement(tag)
  element.textContent = value
  if (className) element.className = className
  return element
}

function formatNumber (value, places) {
  if (value === null || value === undefined) return '–'
  return value.toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places })
}

// The popup: the neighbourhood's figures, the same as its row in the table.
function lsoaPopup (props, meta) {
  const box = document.createElement('div')
  box.className = 'app-map-popup'
  box.appendChild(text('h3', props.name, 'govuk-heading-s govuk-!-margin-bottom-1'))
  box.appendChild(text('p', `${props.code}${props.ward ? ', ' + props.ward + ' ward' : ''}`, 'app-code'))
  const list = document.createElement('dl')
  list.className = 'app-map-popup__list'
  const add = (term, value) => {
    list.appendChild(text('dt', term))
    list.appendChild(text('dd', value))
  }
  const noun = (meta && meta.noun) || 'crimes'
  add(noun.charAt(0).toUpperCase() + noun.slice(1), formatNumber(props.count, 0))
  if (props.rate === null) {
    add('Per 1,000 residents', 'no population figure')
  } else {
    let rate = `${formatNumber(props.rate, 1)} (95% interval ${formatNumber(props.rate_lower, 1)} to ${formatNumber(props.rate_upper, 1)})`
    if (props.small_number) rate += ': fewer than 10 crimes, too few to colour'
    add('Per 1,000 residents', rate)
  }
  add('Residents', `${formatNumber(props.population, 0)}${meta && meta.population_year ? ` (${meta.population_year})` : ''}`)
  add('Hot or cold spot', props.gi_label)
  box.appendChild(list)
  if (meta) box.appendChild(text('p', `${meta.categories}, ${meta.period}`, 'app-code'))
  return box
}

function pointPopup (props) {
  const box = document.createElement('div')
  box.className = 'app-map-popup'
  box.appendChild(text('h3', `Repeat location ${props.rank}`, 'govuk-heading-s govuk-!-margin-bottom-1'))
  if (props.location && !props.coarsened) box.appendChild(text('p', props.location, 'govuk-body-s govuk-!-margin-bottom-1'))
  box.appendChild(text('p', props.description.charAt(0).toUpperCase() + props.description.slice(1) + '.', 'govuk-body-s govuk-!-margin-bottom-0'))
  return box
}

function pointRadius (count, largest) {
  // Area grows with the count: from 4 to 11 pixels of radius, small enough not to hide the
  // neighbourhoods underneath.
  return 4 + 7 * Math.sqrt(count / Math.max(largest, 1))
}

function showMessage (element, message) {
  const holder = element.querySelector('[data-crime-map-message]') || element.appendChild(text('p', ''))
  holder.className = 'govuk-body app-map__fallback'
  holder.textContent = message
}

function buildLayers (collection, popupOptions) {
  const meta = collection.saferplaces || {}
  const areas = collection.features.filter((f) => f.properties && f.properties.kind === 'lsoa')
  const points = collection.features.filter((f) => f.properties && f.properties.kind === 'repeat_location')
  const polygonLayer = (colourOf) => L.geoJSON({ type: 'FeatureCollection', features: areas }, {
    style: (feature) => ({
      color: OUTLINE,
      weight: 1,
      fillColor: colourOf(feature.properties),
      fillOpacity: 0.85,
      dashArray: feature.properties.rate_class === null && colourOf === rateColour ? '3 3' : null
    }),
    onEachFeature: (feature, layer) => {
      layer.bindPopup(() => lsoaPopup(feature.properties, meta), popupOptions)
      layer.on('mouseover', () => layer.setStyle({ weight: 3 }))
      layer.on('mouseout', () => layer.setStyle({ weight: 1 }))
    }
  })
  const largest = Math.max(0, ...points.map((f) => f.properties.count))
  return {
    meta,
    rates: polygonLayer(rateColour),
    gi: polygonLayer((props) => props.gi_colour),
    points: L.geoJSON({ type: 'FeatureCollection', features: points }, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
        radius: pointRadius(feature.properties.count, largest),
        color: '#ffffff',
        weight: 1.5,
        fillColor: POINT_COLOUR,
        fillOpacity: 0.75
      }),
      onEachFeature: (feature, layer) => layer.bindPopup(() => pointPopup(feature.properties), popupOptions)
    })
  }
}

function rateColour (props) {
  return props.rate_colour
}

function wireControls (root, map, layers) {
  const controls = root.querySelector('[data-crime-map-controls]')
  const legendPart = (name) => root.querySelector(`[data-legend="${name}"]`)
  const show = (name) => {
    for (const other of ['rates', 'gi']) {
      const visible = other === name
      if (visible) layers[other].addTo(map)
      else layers[other].remove()
      const legend = legendPart(other)
      if (legend) legend.hidden = !visible
    }
    // Points stay on top of whichever polygons are shown.
    if (map.hasLayer(layers.points)) layers.points.bringToFront()
  }
  const setPoints = (on) => {
    if (on) layers.points.addTo(map)
    else layers.points.remove()
    const legend = legendPart('points')
    if (legend) legend.hidden = !on
  }
  if (!controls) {
    show('rates')
    setPoints(true)
    return
  }
  controls.hidden = false
  const radios = controls.querySelectorAll('input[type="radio"]')
  for (const radio of radios) radio.addEventListener('change', () => show(radio.value))
  const checkbox = controls.querySelector('input[type="checkbox"]')
  checkbox.addEventListener('change', () => setPoints(checkbox.checked))
  const chosen = [...radios].find((radio) => radio.checked)
  show(chosen ? chosen.value : 'rates')
  setPoints(checkbox.checked)
}

async function draw (element) {
  const root = element.closest('[data-crime-map-root]') || element.parentElement
  let collection
  try {
    const response = await fetch(element.dataset.geojsonUrl, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' }
    })
    collection = await response.json()
    if (!response.ok) {
      showMessage(element, `The map could not be drawn: ${collection.error || response.statusText}. The table below gives the figures.`)
      return
    }
  } catch (error) {
    showMessage(element, 'The map could not be loaded. The table below gives the same figures.')
    return
  }
  const areas = (collection.features || []).filter((f) => f.properties && f.properties.kind === 'lsoa')
  if (areas.length === 0) {
    const message = (collection.saferplaces && collection.saferplaces.message) || 'There is nothing to map.'
    showMessage(element, `${message} The table below gives the figures.`)
    return
  }

  element.textContent = ''
  element.classList.add('app-map--drawn')
  // No tile layer by default, so the map needs no server of tiles; the container's background
  // is the plain backdrop the boundaries sit on.
  const map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false, keyboard: true })
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>')
  const tileUrl = element.dataset.tileUrl
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || '', maxZoom: 18 }).addTo(map)
  }
  map.attributionControl.addAttribution('Boundaries: ONS, contains OS data © Crown copyright')
  // A popup never wider than the map (a phone at 320 px has about 280 px of map).
  const popupOptions = { maxWidth: Math.max(160, Math.min(300, element.clientWidth - 60)), autoPanPadding: [10, 10] }
  const layers = buildLayers(collection, popupOptions)
  wireControls(root, map, layers)
  map.fitBounds(layers.rates.getBounds(), { paddingTopLeft: [8, 8], paddingBottomRight: [8, 24] })
  // A popup is laid out for the width it opened at; when the map gets narrower, close it
  // rather than let it overflow (a change of height only, as a phone's address bar, keeps it).
  map.on('resize', (event) => {
    if (event.newSize.x < event.oldSize.x) map.closePopup()
  })
  element.dataset.crimeMapReady = 'true'
}

if (L) {
  for (const element of document.querySelectorAll('[data-crime-map]')) draw(element)
} else {
  for (const element of document.querySelectorAll('[data-crime-map]')) {
    showMessage(element, 'The map could not be loaded. The table below gives the same figures.')
  }
}

// Neighbourhood form: pick small areas (LSOAs) on a map (ES module).
//
// Loaded only by neighbourhoods/form.html, after leaflet/leaflet.js (a deferred classic script,
// so window.L exists before this module runs). The checkboxes grouped by ward stay the form's
// only input: the map is a second way to tick them. Clicking an area toggles its checkbox, and
// ticking a checkbox (with the keyboard, say) changes the area's shading, so the two can never
// disagree. Without JavaScript the picker stays hidden and the list works on its own.
//
// The outlines come from the crime map's GeoJSON (analytics:map_geojson, the partnership's
// default map, which the server keeps warm): features with properties.kind "lsoa" carry the
// LSOA's code, name and ward; the figures in them are not used here.
// Everything is built with DOM methods and textContent (never innerHTML from data), and colours
// are SVG attributes set by Leaflet, which the Content-Security-Policy allows.

const L = window.L

const CHOSEN = { color: '#0b0c0c', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.6 }
const NOT_CHOSEN = { color: '#505a5f', weight: 1, fillColor: '#ffffff', fillOpacity: 0.5 }

function countText (n) {
  return `${n.toLocaleString('en-GB')} small area${n === 1 ? '' : 's'} chosen`
}

function tooltipOf (props) {
  const box = document.createElement('span')
  box.textContent = `${props.name}${props.name !== props.code ? ` (${props.code})` : ''}` +
    `${props.ward ? `, ${props.ward} ward` : ''}`
  return box
}

function showMessage (picker, message) {
  const holder = picker.querySelector('[data-lsoa-picker-message]')
  if (holder) {
    holder.textContent = message
    holder.hidden = false
  }
  const mapElement = picker.querySelector('[data-lsoa-picker-map]')
  if (mapElement) mapElement.hidden = true
}

async function draw (picker) {
  const form = picker.closest('form')
  const boxes = new Map()
  for (const box of form.querySelectorAll('input[type="checkbox"][name="lsoa_codes"]')) {
    boxes.set(box.value, box)
  }
  const counter = picker.querySelector('[data-lsoa-picker-count]')
  const updateCount = () => {
    const n = [...boxes.values()].filter((box) => box.checked).length
    counter.textContent = countText(n)
  }
  picker.hidden = false
  updateCount()
  form.addEventListener('change', (event) => {
    if (event.target.name === 'lsoa_codes') updateCount()
  })

  if (!L) {
    showMessage(picker, 'The map could not be loaded. Choose the small areas from the list below.')
    return
  }
  let collection
  try {
    const response = await fetch(picker.dataset.geojsonUrl, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' }
    })
    collection = await response.json()
    if (!response.ok) throw new Error(collection.error || response.statusText)
  } catch (error) {
    showMessage(picker, 'The map could not be loaded. Choose the small areas from the list below.')
    return
  }
  // Only the areas that have a checkbox: the map never offers what the form would refuse.
  const areas = (collection.features || []).filter(
    (f) => f.properties && f.properties.kind === 'lsoa' && boxes.has(f.properties.code)
  )
  if (areas.length === 0) {
    showMessage(picker, 'There is no map of the small areas yet. Choose them from the list below.')
    return
  }

  const element = picker.querySelector('[data-lsoa-picker-map]')
  const map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false, keyboard: false })
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>')
  map.attributionControl.addAttribution('Boundaries: ONS, contains OS data © Crown copyright')
  const tileUrl = element.dataset.tileUrl
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || '', maxZoom: 18 }).addTo(map)
  }

  const layers = new Map()
  const styleOf = (code) => (boxes.get(code).checked ? CHOSEN : NOT_CHOSEN)
  const outlines = L.geoJSON({ type: 'FeatureCollection', features: areas }, {
    style: (feature) => styleOf(feature.properties.code),
    onEachFeature: (feature, layer) => {
      const code = feature.properties.code
      layers.set(code, layer)
      layer.bindTooltip(() => tooltipOf(feature.properties), { sticky: true, direction: 'top' })
      layer.on('click', () => {
        const box = boxes.get(code)
        box.checked = !box.checked
        // The same event a click on the checkbox sends, so the shading and count follow.
        box.dispatchEvent(new Event('change', { bubbles: true }))
      })
      layer.on('mouseover', () => layer.setStyle({ weight: 3 }))
      layer.on('mouseout', () => layer.setStyle({ weight: styleOf(code).weight }))
      layer.on('add', () => {
        const path = layer.getElement()
        if (path) path.dataset.lsoa = code
      })
    }
  }).addTo(map)

  form.addEventListener('change', (event) => {
    const layer = event.target.name === 'lsoa_codes' && layers.get(event.target.value)
    if (layer) {
      layer.setStyle(styleOf(event.target.value))
      if (event.target.checked) layer.bringToFront()
    }
  })
  for (const [code, layer] of layers) if (boxes.get(code).checked) layer.bringToFront()
  map.fitBounds(outlines.getBounds(), { paddingTopLeft: [8, 8], paddingBottomRight: [8, 24] })
  element.dataset.lsoaPickerReady = 'true'
}

for (const picker of document.querySelectorAll('[data-lsoa-picker]')) draw(picker)

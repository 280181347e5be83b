// Crime data filters (ES module): show only the month fields the chosen period uses.
//
// Loaded only by analytics/crime_data.html. "From one month to another" needs the From and To
// selects; the other two periods need the Month select. Without JavaScript all three show (each
// label says which period it is for) and the server ignores the ones the period does not use.
//
// The fields are shown and hidden with the `hidden` attribute only. GOV.UK's conditional reveal
// would put aria-expanded on the radio inputs, which is not allowed on a radio (axe-core reports
// it as critical); aria-controls on the radios names what they change instead, and the fields
// appear right after the radios in reading order, so nothing is out of reach.
// Changing a select never submits the form: the "Show figures" button does.

function wire (form) {
  const radios = [...form.querySelectorAll('input[type="radio"][name="period"]')]
  const month = form.querySelector('[data-period-month]')
  const range = form.querySelector('[data-period-range]')
  if (radios.length === 0 || !month || !range) return
  for (const radio of radios) {
    radio.setAttribute('aria-controls', radio.value === 'custom' ? range.id : month.id)
  }
  const update = () => {
    const chosen = radios.find((radio) => radio.checked)
    const custom = Boolean(chosen && chosen.value === 'custom')
    range.hidden = !custom
    month.hidden = custom
  }
  for (const radio of radios) radio.addEventListener('change', update)
  update()
  form.dataset.periodFilterReady = 'true'
}

for (const form of document.querySelectorAll('[data-period-filter]')) wire(form)

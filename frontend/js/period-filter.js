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
// Changing a select never submits the form (a surprise for screen reader users): the "Show
// figures" button does.

// "2025-12" eleven months back is "2025-01": the month values are written YYYY-MM.
function monthsBefore (value, count) {
  const [year, month] = value.split('-').map(Number)
  const index = year * 12 + (month - 1) - count
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

function hasOption (select, value) {
  return [...select.options].some((option) => option.value === value)
}

// Switching to "from one month to another" with both ends empty starts from the 12 months to
// the month already chosen, so the range is a change of what was shown, not a blank.
function prefillRange (form) {
  const month = form.querySelector('select[name="month"]')
  const start = form.querySelector('select[name="start"]')
  const end = form.querySelector('select[name="end"]')
  if (!month || !start || !end || start.value || end.value || !month.value) return
  const first = monthsBefore(month.value, 11)
  if (hasOption(end, month.value)) end.value = month.value
  if (hasOption(start, first)) start.value = first
}

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
    // A field with an error message stays, so the error summary's link always has a target.
    const hasError = (part) => Boolean(part.querySelector('.govuk-form-group--error'))
    range.hidden = !custom && !hasError(range)
    month.hidden = custom && !hasError(month)
  }
  for (const radio of radios) {
    radio.addEventListener('change', () => {
      if (radio.value === 'custom' && radio.checked) prefillRange(form)
      update()
    })
  }
  update()
  form.dataset.periodFilterReady = 'true'
}

for (const form of document.querySelectorAll('[data-period-filter]')) wire(form)

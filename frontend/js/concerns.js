// "Report a concern", where is it: a "Use my current location" button that fills in the map
// location fields from the phone's location (progressive enhancement: without JavaScript, or
// when the browser refuses, the resident types a postcode or a description as before).
const latitude = document.getElementById('id_latitude')
const longitude = document.getElementById('id_longitude')
const pinRadio = document.querySelector('input[name="method"][value="pin"]')
const holder = document.getElementById('concern-locate')

if (latitude && longitude && pinRadio && holder && 'geolocation' in navigator) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary'
  button.textContent = 'Use my current location'
  const status = document.createElement('p')
  status.className = 'govuk-body'
  status.setAttribute('role', 'status')
  holder.append(button, status)

  button.addEventListener('click', () => {
    status.textContent = 'Finding your location…'
    navigator.geolocation.getCurrentPosition(
      (position) => {
        latitude.value = position.coords.latitude.toFixed(6)
        longitude.value = position.coords.longitude.toFixed(6)
        pinRadio.checked = true
        status.textContent = 'Location added. Check it is where the problem is, then continue.'
      },
      () => {
        status.textContent = 'We could not find your location. Enter a postcode or describe the place instead.'
      },
      { enableHighAccuracy: true, timeout: 15000 }
    )
  })
}

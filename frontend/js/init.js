// SaferPlaces page initialisation (ES module, loaded with
// <script type="module" src="/static/app/init.js">).
//
// The Content-Security-Policy allows scripts only from 'self', so the inline
// snippet in GOV.UK's page template cannot run. This file does its job instead:
// mark the body as JavaScript-enabled and start every GOV.UK component.
// A browser that cannot run ES modules never loads this file and gets the
// no-JavaScript page, which must work in full (progressive enhancement).
import { initAll } from '../govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

// Every button that sends a form ignores a second click within a second (GOV.UK's
// preventDoubleClick), not only the ones whose template asked for it. The server still stores
// a repeated submission once (idempotency keys, locked rows); this spares the second request.
document.querySelectorAll('form [data-module="govuk-button"]').forEach((button) => {
  button.setAttribute('data-prevent-double-click', 'true')
})
initAll()

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
initAll()

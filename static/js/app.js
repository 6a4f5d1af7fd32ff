// Starts NHS.UK frontend's components (header menu, error summary focus, radios, etc.).
// Loaded from base.html as <script type="module">, never inline: the CSP is script-src 'self'.
// Module scripts only run in browsers NHS.UK frontend supports, so this is also where we
// add the classes that the nhsuk-frontend inline snippet would normally set on <body>.
import { initAll } from "./nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

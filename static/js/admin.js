// The admin sites: small accessibility repairs to the markup Django's admin scripts build in the browser.
// Loaded with `defer` from templates/admin/base_site.html; nothing here is needed for a page to work.

function label(element, text) {
  if (text && !element.getAttribute("aria-label")) element.setAttribute("aria-label", text);
}

function repair() {
  // Django capitalises the inline's name mid-sentence ("Add another Set of dates"): the portal writes in
  // sentence case.
  for (const link of document.querySelectorAll(".add-row a")) {
    link.textContent = link.textContent.replace(/^(Add another )(\p{Lu})(?!\p{Lu})/u, (_, start, letter) => start + letter.toLowerCase());
  }
  // The "filter" icons of a two-box selector carry an aria-label on a plain <span>: say they are images.
  for (const icon of document.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
  // An autocomplete box (select2) is labelled by its current value, which is empty until one is chosen:
  // name it after the field's own label instead.
  for (const box of document.querySelectorAll(".select2-selection[role='combobox']")) {
    const select = box.closest(".select2-container")?.previousElementSibling;
    const fieldLabel = select?.id && document.querySelector(`label[for='${select.id}']`);
    label(box, fieldLabel?.textContent.replace(/:\s*$/, "").trim());
    const rendered = box.querySelector(".select2-selection__rendered[role='textbox']");
    if (rendered && !rendered.textContent.trim()) label(rendered, fieldLabel?.textContent.replace(/:\s*$/, "").trim());
  }
}

// Django builds these widgets on "load" (SelectFilter2) and on "DOMContentLoaded" (select2), and again
// when an inline row is added: repair after each.
window.addEventListener("load", () => setTimeout(repair, 0));
document.addEventListener("formset:added", () => setTimeout(repair, 0));

// <folio-search>: Folio's search widget for any page.
//
//   <folio-search data-index="https://host/path/data/"></folio-search>
//   <script type="module" src="https://host/path/folio-embed.js"></script>
//
// Attributes: data-index (the index directory; default: the data/ folder next to this
// script), data-site (the full Folio site, for "Open in Folio" links; default: the folder of
// this script), data-placeholder. Any number of instances per page. Each renders inside its
// own shadow root, so the page's styles do not reach it and its styles do not leak out;
// theme it with CSS custom properties on the element (--folio-accent, --folio-bg,
// --folio-fg, --folio-muted, --folio-border, --folio-mark, --folio-font, --folio-radius).
//
// Written by scripts/post-build.py from app/embed.js, which fills in the content-hashed
// names of the build's files.
import init, { mount_widget } from "./folio-app-b521ded9013bc139.js";

const here = new URL(".", import.meta.url);
let ready = null;

class FolioSearch extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("./embed-26388da64091cc00.css", import.meta.url).href;
    const mount = document.createElement("div");
    root.append(style, mount);
    const index = new URL(this.dataset.index || "data/", here).href;
    const site = new URL(this.dataset.site || "./", here).href;
    const placeholder = this.dataset.placeholder || "Search the papers…";
    ready ??= init({ module_or_path: new URL("./folio-app-b521ded9013bc139_bg.wasm", import.meta.url) });
    ready.then(
      () => mount_widget(mount, index.endsWith("/") ? index : index + "/", site, placeholder),
      (error) => {
        mount.textContent = `The search could not start: ${error}`;
      },
    );
  }
}

if (!customElements.get("folio-search")) customElements.define("folio-search", FolioSearch);

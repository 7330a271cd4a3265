// <folio-search>: Folio's search widget for any page.
//
//   <folio-search data-index="https://host/path/data/"></folio-search>
//   <script type="module" src="https://host/path/folio-embed.js"></script>
//
// Attributes: data-index (the index directory; default: the data/ folder next to this
// script; a relative one is read from the page's address), data-site (the full Folio site,
// for "Open in Folio" links; default: the folder of this script), data-placeholder. Any number of instances per page. Each renders inside its
// own shadow root, so the page's styles do not reach it and its styles do not leak out;
// theme it with CSS custom properties on the element (--folio-accent, --folio-bg,
// --folio-fg, --folio-muted, --folio-border, --folio-mark, --folio-font, --folio-radius).
//
// Written by scripts/post-build.py from app/embed.js, which fills in the content-hashed
// names of the build's files.
import init, { mount_widget } from "./folio-app-491d19a3c79cf94b.js";

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
    // Given addresses are read as the page's links are: a relative one from the page's own
    // address. The defaults are next to this script.
    const index = (this.dataset.index ? new URL(this.dataset.index, document.baseURI) : new URL("data/", here)).href;
    const site = (this.dataset.site ? new URL(this.dataset.site, document.baseURI) : here).href;
    const placeholder = this.dataset.placeholder || "Search the papers…";
    ready ??= init({ module_or_path: new URL("./folio-app-491d19a3c79cf94b_bg.wasm", import.meta.url) });
    ready.then(
      () => mount_widget(mount, index.endsWith("/") ? index : index + "/", site, placeholder),
      (error) => {
        const wasm = new URL("./folio-app-491d19a3c79cf94b_bg.wasm", import.meta.url).href;
        mount.textContent = `The search could not start: ${error} (loading ${wasm}; from another site, it must allow this page: Access-Control-Allow-Origin)`;
      },
    );
  }
}

if (!customElements.get("folio-search")) customElements.define("folio-search", FolioSearch);

//! Component tests, run in headless Chromium (`cargo test --target wasm32-unknown-unknown -p folio-app`).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element and returns that element.
fn mount(view: impl FnOnce() -> AnyView + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), view);
    // Keep the view alive for the rest of the test.
    std::mem::forget(handle);
    host
}

#[wasm_bindgen_test]
fn highlighted_marks_ranges_and_renders_markup_as_text() {
    let text = "<img src=x onerror=alert(1)> Minecraft agents";
    let start = text.find("Minecraft").unwrap();
    let host = mount(move || folio_app::highlighted(text, &[(start, start + 9)]).into_any());
    let html = host.inner_html();
    // One <mark>, holding exactly the range (Leptos may add empty comment markers).
    let marks = host.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 1, "{html}");
    assert_eq!(
        marks.get(0).unwrap().text_content().unwrap(),
        "Minecraft",
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "no element came from the text"
    );
    assert_eq!(host.text_content().unwrap(), text);
}

#[wasm_bindgen_test]
fn highlighted_ignores_ranges_that_do_not_fit_the_text() {
    let text = "héllo";
    // 2 is inside 'é', 99 is past the end: neither may panic or cut a character.
    let host = mount(move || folio_app::highlighted(text, &[(2, 3), (4, 99)]).into_any());
    assert_eq!(host.text_content().unwrap(), text);
}

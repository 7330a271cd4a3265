//! Mounts the app. Everything else lives in the library so tests can import components.
fn main() {
    leptos::mount::mount_to_body(folio_app::App);
}

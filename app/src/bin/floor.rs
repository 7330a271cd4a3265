use leptos::prelude::*;
use std::sync::Arc;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (q, set_q) = signal(String::new());
        let (index, set_index) = signal(None::<Arc<folio_engine::Index>>);
        wasm_bindgen_futures::spawn_local(async move {
            let get = |u: &str| {
                let u = u.to_string();
                async move {
                    gloo_net::http::Request::get(&u)
                        .send()
                        .await
                        .ok()?
                        .binary()
                        .await
                        .ok()
                }
            };
            let Some(m) = get("m").await else { return };
            let Ok(manifest) = folio_engine::Manifest::from_json(&m) else {
                return;
            };
            let (Some(t), Some(p), Some(d)) = (get("t").await, get("p").await, get("d").await)
            else {
                return;
            };
            if let Ok(i) = folio_engine::Index::open(manifest, t, p, None, &d) {
                set_index.set(Some(Arc::new(i)))
            }
        });
        let items = move || {
            let Some(index) = index.get() else {
                return vec![];
            };
            let r = index.search(&q.get(), 10);
            r.hits
                .iter()
                .map(|h| format!("{} {} {}", h.doc, h.snippet.start, h.explanation.len()))
                .collect::<Vec<_>>()
        };
        view! {
            <input on:input=move |ev| set_q.set(event_target_value(&ev)) prop:value=q />
            <ul><For each=items key=|s| s.clone() let:s><li class:x=move || q.get().is_empty()>{s}</li></For></ul>
        }
    })
}

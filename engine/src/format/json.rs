//! JSON (the manifest, paper records) into the serde types the indexer writes. In the
//! browser (feature `js-json`, which the app turns on) the browser's own `JSON.parse`
//! reads it and serde-wasm-bindgen maps the result onto those types: the site's wasm is
//! 3.9 kB gzip smaller than with serde_json's parser (214.9 against 218.8 kB, measured
//! 2026-12-02). Natively (where the feature has no effect: the fuzz targets and tests
//! that link the app read JSON too), and in wasm without the feature, serde_json does.

use serde::de::DeserializeOwned;

#[cfg(all(feature = "js-json", target_arch = "wasm32"))]
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    let value = js_sys::JSON::parse(text).map_err(|e| {
        let reason = js_sys::Error::from(e).message();
        format!("not JSON: {}", String::from(reason))
    })?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

#[cfg(not(all(feature = "js-json", target_arch = "wasm32")))]
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

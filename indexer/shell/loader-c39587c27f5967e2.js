import init, * as bindings from './folio-app-b521ded9013bc139.js';
const wasm = await init({ module_or_path: './folio-app-b521ded9013bc139_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));

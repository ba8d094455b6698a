//! The Leptos page (client-side rendered).

use leptos::prelude::*;

/// Mounts the app on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <main>"scalecalc"</main> });
}

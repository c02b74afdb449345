//! The map: [`MapView`], a Leptos component around the MapLibre GL JS bridge ([`bridge`]). It follows
//! the app's theme, shows overlay points, flies where its camera signal says and reports clicks.

pub mod bridge;

use crate::i18n::Msg;
use crate::prefs::use_prefs;
use bridge::{Camera, MapBridge, MapEvent, OverlayPoint};
use leptos::prelude::*;

/// The live map. `camera` is where it looks (a change flies there), `stations` the transit-station
/// markers and `selected` the id of the one to ring; `on_feature` receives the layer and id of a
/// clicked marker.
#[component]
pub fn MapView(
    #[prop(into)] camera: Signal<Camera>,
    stations: Vec<OverlayPoint>,
    #[prop(into)] selected: Signal<Option<String>>,
    #[prop(into)] on_feature: Callback<(String, String)>,
) -> impl IntoView {
    let prefs = use_prefs();
    let container = NodeRef::<leptos::html::Div>::new();
    let map = StoredValue::new_local(None::<MapBridge>);
    let failed = RwSignal::new(false);

    Effect::new(move |_| {
        let Some(element) = container.get() else {
            return;
        };
        if map.with_value(Option::is_some) {
            return;
        }
        let theme = prefs.theme.get_untracked();
        let on_event = move |event| {
            if let MapEvent::Clicked { layer, id } = event {
                on_feature.run((layer, id));
            }
        };
        match MapBridge::create(&element, theme.key(), camera.get_untracked(), on_event) {
            Ok(created) => {
                created.set_stations(&stations);
                map.set_value(Some(created));
            }
            Err(message) => {
                web_sys::console::error_1(&format!("map: {message}").into());
                failed.set(true);
            }
        }
    });
    Effect::new(move |_| {
        let theme = prefs.theme.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.set_theme(theme.key());
            }
        });
    });
    Effect::new(move |_| {
        let id = selected.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.select_station(id.as_deref());
            }
        });
    });
    Effect::new(move |previous: Option<Camera>| {
        let target = camera.get();
        if previous.is_some_and(|previous| previous != target) {
            map.with_value(|map| {
                if let Some(map) = map {
                    map.fly_to(target);
                }
            });
        }
        target
    });
    on_cleanup(move || {
        // Removes the map and its WebGL context now rather than whenever the owner is disposed.
        let _ = map.try_update_value(|map| map.take());
    });

    view! {
        <div id="map-view" class="map-view" node_ref=container></div>
        <Show when=move || failed.get()>
            <div id="map-failed" class="map-failed" role="alert">{move || prefs.t(Msg::MapFailed)}</div>
        </Show>
    }
}

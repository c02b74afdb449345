//! The app shell: navigation rail, top bar, the current page, and the status bar.

use crate::components::alert_banner::{AlertBanner, MapFocus};
use crate::components::palette::CommandPalette;
use crate::components::refusals::{RefusalsOpen, RefusalsPanel};
use crate::components::setup::{DeskSetupScreen, SetupOpen};
use crate::components::{rail::NavRail, sign_in::SignInDialog, status_bar::StatusBar, top_bar::TopBar};
use crate::desk_status::{DeskStatus, SignInOpen};
use crate::ipc;
use crate::live::LiveChanges;
use crate::notification_prefs::NotificationSettings;
use crate::pages::{Page, PageBody};
use crate::prefs::Prefs;
use leptos::prelude::*;
use siaga_ipc::{AppInfo, AppInfoCommand, AppInfoRequest, DeskSetupCommand, DeskSetupRequest, IpcError};

/// The page being shown, provided to the rail and the top bar.
#[derive(Debug, Clone, Copy)]
pub struct CurrentPage(pub RwSignal<Page>);

/// The shell's answer to `app_info`, re-asked when the language changes.
#[allow(missing_debug_implementations)] // LocalResource has no Debug.
#[derive(Clone, Copy)]
pub struct AppInfoResource(LocalResource<Result<AppInfo, IpcError>>);

/// The `app_info` answer provided by the shell (`None` while it is on its way).
pub fn use_app_info() -> LocalResource<Result<AppInfo, IpcError>> {
    expect_context::<AppInfoResource>().0
}

/// The whole desk UI.
#[component]
pub fn App() -> impl IntoView {
    let prefs = Prefs::load_and_sync();
    provide_context(prefs);
    let page = RwSignal::new(Page::default());
    provide_context(CurrentPage(page));
    provide_context(crate::pages::ActiveCall(RwSignal::new(None)));
    let info = LocalResource::new(move || {
        let language = prefs.language.get();
        async move { ipc::invoke::<AppInfoCommand>(&AppInfoRequest { language }).await }
    });
    provide_context(AppInfoResource(info));
    DeskStatus::provide();
    LiveChanges::provide();
    NotificationSettings::provide(prefs);
    crate::overdue::Overdue::provide();
    provide_context(SignInOpen(RwSignal::new(false)));
    provide_context(MapFocus(RwSignal::new(None)));
    provide_context(RefusalsOpen(RwSignal::new(false)));
    crate::streets::StreetsRevision::provide();
    let setup_open = RwSignal::new(false);
    provide_context(SetupOpen(setup_open));
    // Asked once: the setup screen keeps what is typed while the language changes.
    let setup = LocalResource::new(move || {
        let language = prefs.language.get_untracked();
        async move { ipc::invoke::<DeskSetupCommand>(&DeskSetupRequest { language }).await }
    });
    provide_context(SetupInfoResource(setup));
    Effect::new(move |_| {
        // A desk set up in English opens in English until someone chooses otherwise in this webview.
        if let Some(Ok(info)) = setup.get() {
            if let (false, Some(current)) = (prefs.language_was_chosen, info.current) {
                prefs.language.set(current.language);
            }
        }
    });

    view! {
        {move || match setup.get() {
            // Not yet answered: nothing, for the few milliseconds it takes.
            None => ().into_any(),
            Some(Ok(info)) if info.needed => view! { <DeskSetupScreen info=info cancellable=false /> }.into_any(),
            Some(_) => view! {
                <Shell page=page />
                {move || setup_open.get().then(|| setup.get().and_then(Result::ok).map(|info| view! {
                    <DeskSetupScreen info=info cancellable=true />
                }))}
            }.into_any(),
        }}
    }
}

/// The shell's answer to `desk_setup` (asked once at start).
#[allow(missing_debug_implementations)] // LocalResource has no Debug.
#[derive(Clone, Copy)]
pub struct SetupInfoResource(pub LocalResource<Result<siaga_ipc::DeskSetupInfo, IpcError>>);

/// The desk: rail, top bar, the page, status bar and the shell's dialogs.
#[component]
fn Shell(page: RwSignal<Page>) -> impl IntoView {
    view! {
        <div id="app-shell" class="shell">
            <NavRail />
            <div class="workspace">
                <TopBar />
                <AlertBanner />
                <main id="page" class="page" data-page=move || page.get().key()>
                    {move || view! { <PageBody page=page.get() /> }}
                </main>
            </div>
            <StatusBar />
            <SignInDialog />
            <RefusalsPanel />
            <CommandPalette />
        </div>
    }
}

/// Reports a panic in the window itself, so a broken UI is never a silent blank page (and end-to-end
/// tests can see it), as well as on the console.
pub fn install_panic_reporter() {
    std::panic::set_hook(Box::new(|panic| {
        console_error_panic_hook::hook(panic);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = document.body() else { return };
        if let Ok(banner) = document.create_element("div") {
            banner.set_id("fatal-error");
            banner.set_class_name("fatal-error");
            banner.set_text_content(Some(&format!(
                "Terjadi kesalahan pada tampilan / The interface failed: {panic}"
            )));
            let _ = body.append_child(&banner);
        }
    }));
}

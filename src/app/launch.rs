//! Opening the window: one per data directory (a later launch hands its link over), its
//! settings, and SIGTERM as a close request.

use iced::window;

use super::{App, Message, links};

/// Why the window did not open. The texts are in the person's language.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// Neither Wayland nor X11 is there to show a window on.
    #[error("{}", crate::fl!("cli-error-no-display"))]
    NoDisplay,
    /// iced or the graphics stack failed.
    #[error("{}", crate::fl!("cli-error-window-reason", reason = .0.to_string()))]
    Window(#[from] iced::Error),
    /// The graphics stack panicked.
    #[error("{}", crate::fl!("cli-error-window"))]
    Panicked,
}

/// Opens the window and runs until it closes; `link` is an `xmpp:` link to open. When a window
/// runs already for this data directory, it gets the link and comes forward instead. A missing
/// display or a failing graphics stack is an error, not a panic.
pub fn open(link: Option<String>) -> Result<(), LaunchError> {
    if cfg!(all(unix, not(target_os = "macos")))
        && ["WAYLAND_DISPLAY", "WAYLAND_SOCKET", "DISPLAY"]
            .iter()
            .all(|v| std::env::var_os(v).is_none())
    {
        return Err(LaunchError::NoDisplay);
    }
    #[cfg(unix)]
    if let Ok(dir) = crate::paths::data_dir() {
        let launch = crate::instance::Launch { uri: link.clone() };
        match crate::instance::claim(&crate::instance::socket_path(&dir), &launch) {
            Ok(crate::instance::Claim::Handed) => return Ok(()),
            Ok(crate::instance::Claim::First(listener)) => links::listen(listener),
            // Still a window, just not a single one.
            Err(e) => tracing::warn!("later launches will open windows of their own: {e}"),
        }
    }
    load_fonts_meanwhile();
    match std::panic::catch_unwind(move || application(link).run()) {
        Ok(result) => Ok(result?),
        Err(_) => Err(LaunchError::Panicked),
    }
}

/// Reads the system's font list on a thread of its own while the window opens: the first
/// frame needs it, and on a desktop with hundreds of faces (Noto with CJK: 321) reading it
/// takes 20–40 ms that would otherwise come before that frame (README, Performance).
fn load_fonts_meanwhile() {
    let spawned = std::thread::Builder::new().name("fonts".into()).spawn(|| {
        let _ = iced::advanced::graphics::text::font_system();
        crate::timing::point("fonts read");
    });
    if let Err(e) = spawned {
        // The first frame reads them then.
        tracing::debug!("no thread for the fonts: {e}");
    }
}

/// The window as iced runs it: [`App`] booting with `link` (its store and session starting
/// while the window opens), its title, theme, subscriptions and window settings. A close
/// request is a message, so the session can say goodbye first.
pub fn application(
    link: Option<String>,
) -> iced::Application<impl iced::Program<State = App, Message = Message, Theme = iced::Theme>> {
    iced::application(
        move || App::boot_opening(link.clone()),
        App::update,
        App::view,
    )
    .title(App::title)
    .theme(App::theme)
    .subscription(App::subscription)
    .exit_on_close_request(false)
    .window(window_settings())
}

/// The window: its size, and the application id the desktop matches it with (X11 WM_CLASS,
/// Wayland app_id), the same as the .desktop file's name in packaging/.
fn window_settings() -> window::Settings {
    window::Settings {
        size: iced::Size::new(1000.0, 680.0),
        platform_specific: window::settings::PlatformSpecific {
            application_id: crate::paths::APP_ID.to_owned(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// SIGTERM (logout) as a close request.
pub(super) fn sigterm() -> impl futures::Stream<Item = Message> {
    iced::stream::channel(
        1,
        async |mut out: futures::channel::mpsc::Sender<Message>| {
            use futures::SinkExt;
            if let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                while term.recv().await.is_some() {
                    let _ = out.send(Message::CloseRequested).await;
                }
            }
        },
    )
}

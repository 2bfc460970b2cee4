//! Every string a person reads comes from `i18n/<locale>/natter.ftl` through [`fl!`]
//! (ids are checked at build time against the English file).

use std::sync::LazyLock;

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{DesktopLanguageRequester, LanguageLoader};
use rust_embed::RustEmbed;
use unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// The process-wide Fluent loader. English is always loaded as the fallback.
pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    if let Err(e) = loader.load_fallback_language(&Localizations) {
        // Only a broken build can get here (the files are embedded and checked by fl!).
        tracing::error!("the English texts could not be loaded: {e}");
    }
    loader.set_use_isolating(false);
    loader
});

/// Looks up a message by id, with optional arguments: `fl!("id")`, `fl!("id", name = value)`.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {{
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id)
    }};
    ($id:literal, $($args:tt)*) => {{
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id, $($args)*)
    }};
}

/// Selects the language: `preferred` (a setting, e.g. `de`) when given, else the desktop's
/// (LANG / LC_MESSAGES). Falls back to English for anything missing.
pub fn init(preferred: Option<&str>) {
    let mut requested: Vec<LanguageIdentifier> =
        preferred.and_then(|p| p.parse().ok()).into_iter().collect();
    requested.extend(DesktopLanguageRequester::requested_languages());
    if let Err(e) = i18n_embed::select(&*LOADER, &Localizations, &requested) {
        tracing::warn!("language selection failed, using English: {e}");
    }
    // Loading makes new bundles, which isolate arguments again (U+2068/U+2069 around every
    // value: invisible at best, boxes in fonts without them).
    LOADER.set_use_isolating(false);
}

/// A loader of its own for `language` (English behind it), leaving the process's language as
/// it is: for tests and tools that compare translations.
#[doc(hidden)]
pub fn loader_for(language: &str) -> Result<FluentLanguageLoader, String> {
    let id: LanguageIdentifier = language.parse().map_err(|e| format!("{language}: {e}"))?;
    let loader: FluentLanguageLoader = fluent_language_loader!();
    loader
        .load_languages(&Localizations, &[id, loader.fallback_language().clone()])
        .map_err(|e| e.to_string())?;
    loader.set_use_isolating(false);
    Ok(loader)
}

/// The languages that have a translation file.
pub fn available() -> Vec<String> {
    LOADER
        .available_languages(&Localizations)
        .map(|v| v.into_iter().map(|l| l.to_string()).collect())
        .unwrap_or_default()
}

//! Every string a person reads comes from `i18n/<locale>/natter.ftl` through [`fl!`]
//! (ids are checked at build time against the English file).

use std::sync::LazyLock;

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use rust_embed::RustEmbed;
use unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// The process-wide Fluent loader. English is always loaded as the fallback.
pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    if let Err(e) = loader.load_fallback_language(&Localizations) {
        // Only a broken build can get here (the files are embedded and checked by fl!); no
        // text to translate this with.
        tracing::error!("the English texts could not be loaded: {e}");
    }
    loader.set_use_isolating(false);
    loader
});

/// Looks up a message by id, with optional arguments: `fl!("id")`, `fl!("id", name = value)`.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {{
        i18n_embed_fl::fl!($crate::i18n::loader(), $id)
    }};
    ($id:literal, $($args:tt)*) => {{
        i18n_embed_fl::fl!($crate::i18n::loader(), $id, $($args)*)
    }};
}

/// The loader [`fl!`] reads: [`LOADER`], or in this crate's unit tests the language that
/// [`testing::in_language`] set for the current thread.
#[doc(hidden)]
#[inline]
pub fn loader() -> &'static FluentLanguageLoader {
    #[cfg(test)]
    if let Some(loader) = testing::current() {
        return loader;
    }
    &LOADER
}

/// Selects the language: `preferred` (a setting, e.g. `de`) when given, else the desktop's
/// (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). Falls back to English for anything missing.
pub fn init(preferred: Option<&str>) {
    let mut requested: Vec<LanguageIdentifier> =
        preferred.and_then(|p| p.parse().ok()).into_iter().collect();
    requested.extend(desktop_languages());
    select(&LOADER, &requested);
}

/// The desktop's languages, most wanted first (LANGUAGE, LC_ALL, LC_MESSAGES, LANG on Unix).
/// Locales that name no language, like `C.UTF-8`, are skipped without a word: i18n-embed's
/// requester would log an error for them on every run.
fn desktop_languages() -> Vec<LanguageIdentifier> {
    if cfg!(unix) && untranslated_locale(|name| std::env::var(name).ok()) {
        return Vec::new();
    }
    sys_locale::get_locales()
        .filter_map(|tag| tag.parse().ok())
        .collect()
}

/// Whether the locale for messages is C or POSIX, which asks for untranslated text whatever
/// LANGUAGE says (as with gettext): `LC_ALL=C natter …` is how a script gets English.
fn untranslated_locale(var: impl Fn(&str) -> Option<String>) -> bool {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()));
    let language = locale.as_deref().and_then(|l| l.split(['.', '@']).next());
    matches!(language, Some("C" | "POSIX"))
}

/// Loads the best of `requested` into `loader` (English fills the gaps).
fn select(loader: &FluentLanguageLoader, requested: &[LanguageIdentifier]) {
    if let Err(e) = i18n_embed::select(loader, &Localizations, requested) {
        // Not translated: this is the translation machinery failing.
        tracing::warn!("language selection failed, using English: {e}");
    }
    // Loading makes new bundles, which would put Unicode isolation marks around every
    // argument again (into terminals, logs and JSON too).
    loader.set_use_isolating(false);
}

/// The name of a show in the person's language (the window and the command line say the same).
pub fn show_name(show: crate::model::Show) -> String {
    use crate::model::Show;
    match show {
        Show::Available => crate::fl!("show-available"),
        Show::Chat => crate::fl!("show-chat"),
        Show::Away => crate::fl!("show-away"),
        Show::Xa => crate::fl!("show-xa"),
        Show::Dnd => crate::fl!("show-dnd"),
        Show::Unavailable => crate::fl!("show-unavailable"),
    }
}

/// The languages that have a translation file.
pub fn available() -> Vec<String> {
    LOADER
        .available_languages(&Localizations)
        .map(|v| v.into_iter().map(|l| l.to_string()).collect())
        .unwrap_or_default()
}

/// Rendering texts in another language inside a unit test without changing it for the tests
/// that run beside it: the language is set for the current thread only.
#[cfg(test)]
pub mod testing {
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};

    use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
    use unic_langid::LanguageIdentifier;

    thread_local! {
        static CURRENT: Cell<Option<&'static FluentLanguageLoader>> = const { Cell::new(None) };
    }

    /// One loader per language, made once and kept for the whole test run.
    static LOADERS: LazyLock<Mutex<HashMap<String, &'static FluentLanguageLoader>>> =
        LazyLock::new(Default::default);

    pub(super) fn current() -> Option<&'static FluentLanguageLoader> {
        CURRENT.with(Cell::get)
    }

    /// A loader with `language` selected the way [`super::init`] selects it.
    pub fn loader_for(language: &str) -> &'static FluentLanguageLoader {
        let mut loaders = LOADERS.lock().unwrap_or_else(|e| e.into_inner());
        loaders.entry(language.to_owned()).or_insert_with(|| {
            let id: LanguageIdentifier = language.parse().expect("a language identifier");
            let loader: FluentLanguageLoader = fluent_language_loader!();
            super::select(&loader, &[id]);
            Box::leak(Box::new(loader))
        })
    }

    /// Runs `f` with every `fl!` on this thread in `language` (English fills gaps), then
    /// goes back to the process-wide language, also when `f` panics.
    pub fn in_language<T>(language: &str, f: impl FnOnce() -> T) -> T {
        struct Restore(Option<&'static FluentLanguageLoader>);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(CURRENT.with(|c| c.replace(Some(loader_for(language)))));
        f()
    }

    /// Every English message without arguments, as (id, text): what a translation must
    /// replace on screen.
    pub fn plain_english() -> Vec<(String, String)> {
        let Some(file) = super::Localizations::get("en/natter.ftl") else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(&file.data).into_owned();
        let Ok(resource) = fluent_syntax::parser::parse(text.as_str()) else {
            return Vec::new();
        };
        let english = loader_for("en");
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m),
                _ => None,
            })
            .filter(|m| {
                m.value.as_ref().is_some_and(|v| {
                    v.elements.iter().all(|e| {
                        matches!(e, fluent_syntax::ast::PatternElement::TextElement { .. })
                    })
                })
            })
            .map(|m| (m.id.name.to_owned(), english.get(m.id.name)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// The calls whose string argument a person reads.
    const SHOWN: [&str; 13] = [
        "text(\"",
        ".placeholder(\"",
        ".label(\"",
        "println!(",
        "eprintln!(",
        "print!(",
        "eprint!(",
        "writeln!(",
        "write!(",
        "#[error(\"",
        ".summary(\"",
        ".body(\"",
        ".action(",
    ];

    /// The words in the first string literal at or after `from` on `line`, with `{…}`
    /// placeholders and escapes taken out.
    fn literal_words(line: &str, from: usize) -> String {
        let Some(open) = line[from..].find('"').map(|o| from + o + 1) else {
            return String::new();
        };
        let mut words = String::new();
        let (mut depth, mut escaped) = (0_u32, false);
        for c in line[open..].chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => break,
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                c if depth == 0 => words.push(c),
                _ => {}
            }
        }
        words
    }

    /// Every text a person reads comes from i18n/: a literal with words in a call that shows
    /// text fails here. A line that must keep one (a name) says why with `i18n-ok`.
    #[test]
    fn no_words_for_people_are_written_in_the_code() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("readable") {
                    files.push(entry.expect("entry").path());
                }
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let code = std::fs::read_to_string(&path).expect("readable");
            for (n, line) in code.lines().enumerate() {
                let trimmed = line.trim_start();
                if trimmed.starts_with("#[cfg(test)]") {
                    break;
                }
                if trimmed.starts_with("//") || line.contains("i18n-ok") {
                    continue;
                }
                for call in SHOWN {
                    // A whole name: `in_context("…")` is not `text("…")`.
                    let at = line.match_indices(call).map(|(at, _)| at).find(|&at| {
                        !call.starts_with(|c: char| c.is_ascii_alphabetic())
                            || !line[..at]
                                .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    });
                    let Some(at) = at else { continue };
                    let words = literal_words(line, at + call.len() - 1);
                    let letters = words.chars().filter(char::is_ascii_alphabetic).count();
                    if letters >= 3 {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, trimmed));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "words for people outside i18n/ (use fl!, or mark a name with i18n-ok):\n{}",
            found.join("\n")
        );
    }

    /// Each message's variables, and the plural categories its selectors use.
    #[derive(Debug, Default, PartialEq)]
    struct Shape {
        variables: BTreeSet<String>,
        categories: BTreeSet<String>,
    }

    fn walk_pattern(pattern: &ast::Pattern<&str>, shape: &mut Shape) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                walk_expression(expression, shape);
            }
        }
    }

    fn walk_expression(expression: &ast::Expression<&str>, shape: &mut Shape) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, shape);
                for variant in variants {
                    if let ast::VariantKey::Identifier { name } = variant.key {
                        shape.categories.insert(name.to_owned());
                    }
                    walk_pattern(&variant.value, shape);
                }
            }
            ast::Expression::Inline(inline) => walk_inline(inline, shape),
        }
    }

    fn walk_inline(inline: &ast::InlineExpression<&str>, shape: &mut Shape) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                shape.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => walk_expression(expression, shape),
            _ => {}
        }
    }

    /// Parses one embedded file strictly: a syntax error would silently drop messages at run
    /// time (i18n-embed only logs it).
    fn messages(language: &str) -> BTreeMap<String, Shape> {
        let path = format!("{language}/natter.ftl");
        let file = Localizations::get(&path).unwrap_or_else(|| panic!("{path} is embedded"));
        let text = std::str::from_utf8(&file.data).expect("UTF-8");
        let resource = fluent_syntax::parser::parse(text)
            .unwrap_or_else(|(_, errors)| panic!("{path} does not parse: {errors:?}"));
        let mut found = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut shape = Shape::default();
                if let Some(value) = &message.value {
                    walk_pattern(value, &mut shape);
                }
                let id = message.id.name.to_owned();
                assert!(
                    found.insert(id.clone(), shape).is_none(),
                    "{path}: {id} twice"
                );
            }
        }
        found
    }

    /// The plural categories of each language (CLDR), `other` being the one every selector
    /// must have.
    fn plural_categories(language: &str) -> &'static [&'static str] {
        match language {
            "ru" => &["one", "few", "many", "other"],
            "zh-CN" => &["other"],
            _ => &["one", "other"],
        }
    }

    #[test]
    fn every_language_has_every_english_id_with_the_same_variables() {
        let english = messages("en");
        let languages = available();
        assert!(languages.len() >= 5, "{languages:?}");
        for language in languages.iter().filter(|l| *l != "en") {
            let translated = messages(language);
            let missing: Vec<_> = english
                .keys()
                .filter(|id| !translated.contains_key(*id))
                .collect();
            let extra: Vec<_> = translated
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language}: missing {missing:?}, extra {extra:?}"
            );
            for (id, shape) in &translated {
                assert_eq!(
                    shape.variables, english[id].variables,
                    "{language}: {id} uses other variables than English"
                );
                let allowed = plural_categories(language);
                for category in &shape.categories {
                    assert!(
                        allowed.contains(&category.as_str()),
                        "{language}: {id} has [{category}]"
                    );
                }
                // A message English words by number needs every form of the language.
                let plural = english[id].categories.iter().any(|c| c != "other");
                if plural {
                    for category in allowed {
                        assert!(
                            shape.categories.contains(*category),
                            "{language}: {id} lacks [{category}]"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_c_locale_means_english_whatever_else_is_set() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let cases: [(&'static [(&'static str, &'static str)], bool); 6] = [
            (&[("LC_ALL", "C"), ("LANG", "ru_RU.UTF-8")], true),
            (&[("LC_ALL", "C.UTF-8"), ("LANGUAGE", "de")], true),
            (&[("LC_ALL", ""), ("LANG", "POSIX")], true),
            (&[("LANG", "ru_RU.UTF-8")], false),
            (&[("LC_MESSAGES", "de_DE.UTF-8"), ("LANG", "C")], false),
            (&[], false),
        ];
        for (vars, expected) in cases {
            assert_eq!(untranslated_locale(env(vars)), expected, "{vars:?}");
        }
    }

    #[test]
    fn selecting_a_language_keeps_arguments_free_of_isolation_marks() {
        let german = testing::loader_for("de");
        let text = i18n_embed_fl::fl!(german, "error-connect-no-user", address = "example.org");
        assert_eq!(text, "example.org hat keinen Benutzerteil");
    }

    #[test]
    fn a_language_set_for_one_thread_is_not_seen_by_another() {
        let russian = testing::in_language("ru", || {
            let elsewhere = std::thread::spawn(|| crate::fl!("error-session-ended"))
                .join()
                .expect("the thread runs");
            (crate::fl!("error-session-ended"), elsewhere)
        });
        assert_eq!(
            russian,
            (
                "сеанс завершён".to_owned(),
                "the session has ended".to_owned()
            )
        );
        assert_eq!(crate::fl!("error-session-ended"), "the session has ended");
    }

    #[test]
    fn russian_plurals_follow_the_number() {
        let cases = [
            (1, "найден 1 подходящий пароль"),
            (3, "найдено 3 подходящих пароля"),
            (5, "найдено 5 подходящих паролей"),
            (21, "найден 21 подходящий пароль"),
        ];
        testing::in_language("ru", || {
            for (count, expected) in cases {
                assert_eq!(
                    crate::fl!("error-keyring-ambiguous", count = count),
                    expected
                );
            }
        });
        assert_eq!(
            crate::fl!("error-keyring-ambiguous", count = 2),
            "2 matching passwords"
        );
    }
}

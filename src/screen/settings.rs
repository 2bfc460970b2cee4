//! Settings: the language (the desktop's or a chosen one) and when auto-away starts.

use std::fmt;

use iced::widget::{button, column, container, pick_list, row, text};
use iced::{Alignment, Length};

use crate::theme::{self, Element};

/// The languages Natter speaks, by their Fluent locale (each has i18n/<locale>/natter.ftl).
pub const LANGUAGES: [&str; 5] = ["en", "ru", "de", "es", "zh-CN"];
/// Auto-away choices in minutes (0: never).
pub const AWAY_CHOICES: [u32; 7] = [0, 1, 2, 5, 10, 15, 30];
/// Extended-away choices in minutes (0: never).
pub const XA_CHOICES: [u32; 6] = [0, 10, 20, 30, 60, 120];

/// The settings pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// `None`: follow the desktop (LANG / LC_MESSAGES).
    language: Option<String>,
    away_minutes: u32,
    xa_minutes: u32,
    /// The setting the keyboard changes (Up/Down picks, Left/Right changes): 0 language,
    /// 1 away, 2 extended away.
    cursor: usize,
}

/// The inputs of the settings pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A language was picked.
    Language(Language),
    /// Away after this many minutes without input.
    AwayAfter(Minutes),
    /// Extended away after this many minutes without input.
    XaAfter(Minutes),
    /// Close the pane.
    Close,
    /// The keyboard's cursor moves to the next (`true`) or previous setting.
    Step(bool),
    /// The setting under the cursor takes its next (`true`) or previous value.
    Change(bool),
}

/// What the settings pane asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Speak this language from now on (`None`: the desktop's) and remember it.
    Language(Option<String>),
    /// Go away / extended away after these many minutes (0: never) and remember it.
    AutoAway {
        /// Minutes to away.
        away: u32,
        /// Minutes to extended away.
        xa: u32,
    },
    /// Close the pane.
    Close,
}

/// A language choice as the list shows it: each language by its own name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(pub Option<String>);

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0.as_deref() {
            None => crate::fl!("settings-language-desktop"),
            Some("ru") => crate::fl!("language-ru"),
            Some("de") => crate::fl!("language-de"),
            Some("es") => crate::fl!("language-es"),
            Some("zh-CN") => crate::fl!("language-zh-cn"),
            Some(_) => crate::fl!("language-en"),
        };
        f.write_str(&name)
    }
}

/// A number of minutes as the list shows it (0: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(pub u32);

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.0 {
            0 => crate::fl!("settings-never"),
            n => crate::fl!("settings-minutes", count = n),
        };
        f.write_str(&label)
    }
}

impl State {
    /// The settings as remembered.
    pub fn new(language: Option<String>, away_minutes: u32, xa_minutes: u32) -> State {
        State {
            language: language.filter(|l| LANGUAGES.contains(&l.as_str())),
            away_minutes,
            xa_minutes,
            cursor: 0,
        }
    }

    /// The chosen language (`None`: the desktop's).
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Minutes without input before away and extended away (0: never).
    pub fn auto_away(&self) -> (u32, u32) {
        (self.away_minutes, self.xa_minutes)
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Language(Language(language)) => {
                if language == self.language {
                    return Action::None;
                }
                self.language = language.clone();
                Action::Language(language)
            }
            Message::AwayAfter(Minutes(away)) => {
                self.away_minutes = away;
                // Extended away never comes before away.
                if away > 0 && self.xa_minutes > 0 && self.xa_minutes <= away {
                    self.xa_minutes = XA_CHOICES.into_iter().find(|&m| m > away).unwrap_or(0);
                }
                self.auto_away_action()
            }
            Message::XaAfter(Minutes(xa)) => {
                self.xa_minutes = xa;
                if xa > 0 && self.away_minutes >= xa {
                    self.away_minutes = AWAY_CHOICES
                        .into_iter()
                        .rev()
                        .find(|&m| m > 0 && m < xa)
                        .unwrap_or(0);
                }
                self.auto_away_action()
            }
            Message::Close => Action::Close,
            Message::Step(down) => {
                self.cursor = match down {
                    true => (self.cursor + 1).min(2),
                    false => self.cursor.saturating_sub(1),
                };
                Action::None
            }
            Message::Change(more) => self.change(more),
        }
    }

    /// The next or previous value of the setting under the cursor, as a pick would give it.
    fn change(&mut self, more: bool) -> Action {
        fn neighbour<T: Clone + PartialEq>(choices: &[T], now: &T, more: bool) -> Option<T> {
            let at = choices.iter().position(|c| c == now).unwrap_or(0);
            let next = if more {
                at.checked_add(1)
            } else {
                at.checked_sub(1)
            };
            choices.get(next?).cloned()
        }
        let message = match self.cursor {
            0 => {
                let languages: Vec<Option<String>> = std::iter::once(None)
                    .chain(LANGUAGES.iter().map(|l| Some((*l).to_owned())))
                    .collect();
                neighbour(&languages, &self.language, more).map(|l| Message::Language(Language(l)))
            }
            1 => neighbour(&AWAY_CHOICES, &self.away_minutes, more)
                .map(|m| Message::AwayAfter(Minutes(m))),
            _ => {
                neighbour(&XA_CHOICES, &self.xa_minutes, more).map(|m| Message::XaAfter(Minutes(m)))
            }
        };
        match message {
            Some(message) => self.update(message),
            None => Action::None,
        }
    }

    fn auto_away_action(&self) -> Action {
        Action::AutoAway {
            away: self.away_minutes,
            xa: self.xa_minutes,
        }
    }

    /// The pane.
    pub fn view(&self) -> Element<'_, Message> {
        let languages: Vec<Language> = std::iter::once(Language(None))
            .chain(LANGUAGES.iter().map(|l| Language(Some((*l).to_owned()))))
            .collect();
        let language = pick_list(
            languages,
            Some(Language(self.language.clone())),
            Message::Language,
        )
        .width(Length::Fixed(260.0));
        let minutes = |choices: &[u32]| choices.iter().copied().map(Minutes).collect::<Vec<_>>();
        let away = pick_list(
            minutes(&AWAY_CHOICES),
            Some(Minutes(self.away_minutes)),
            Message::AwayAfter,
        )
        .width(Length::Fixed(260.0));
        let xa = pick_list(
            minutes(&XA_CHOICES),
            Some(Minutes(self.xa_minutes)),
            Message::XaAfter,
        )
        .width(Length::Fixed(260.0));
        let cursor = self.cursor;
        let setting =
            |n: usize, label: String, hint: String, control: Element<'static, Message>| {
                // The setting the arrows change is marked by its label.
                let mark = text(if n == cursor { "▸" } else { "" }).size(14).width(14);
                column![
                    row![mark, text(label).size(14)],
                    control,
                    text(hint).size(12).style(theme::text::muted),
                ]
                .spacing(4)
            };
        let close = button(text(crate::fl!("settings-close")).size(14))
            .on_press(Message::Close)
            .style(theme::button::secondary);
        container(
            column![
                row![
                    text(crate::fl!("settings-title")).size(20),
                    iced::widget::space::horizontal(),
                    close
                ]
                .align_y(Alignment::Center),
                setting(
                    0,
                    crate::fl!("settings-language"),
                    crate::fl!("settings-language-hint"),
                    language.into()
                ),
                setting(
                    1,
                    crate::fl!("settings-away"),
                    crate::fl!("settings-away-hint"),
                    away.into()
                ),
                setting(
                    2,
                    crate::fl!("settings-xa"),
                    crate::fl!("settings-xa-hint"),
                    xa.into()
                ),
            ]
            .spacing(20)
            .max_width(560),
        )
        .padding(20)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;

    #[test]
    fn picking_a_language_asks_for_it_once_and_the_desktop_is_a_choice() {
        let mut state = State::new(None, 5, 20);
        assert_eq!(
            state.update(Message::Language(Language(Some("ru".into())))),
            Action::Language(Some("ru".into()))
        );
        assert_eq!(
            state.update(Message::Language(Language(Some("ru".into())))),
            Action::None
        );
        assert_eq!(
            state.update(Message::Language(Language(None))),
            Action::Language(None)
        );
        // An unknown remembered language is the desktop's.
        assert_eq!(State::new(Some("xx".into()), 5, 20).language(), None);
    }

    #[test]
    fn extended_away_never_comes_before_away() {
        let mut state = State::new(None, 5, 20);
        assert_eq!(
            state.update(Message::AwayAfter(Minutes(30))),
            Action::AutoAway { away: 30, xa: 60 }
        );
        assert_eq!(
            state.update(Message::XaAfter(Minutes(10))),
            Action::AutoAway { away: 5, xa: 10 }
        );
        assert_eq!(
            state.update(Message::AwayAfter(Minutes(0))),
            Action::AutoAway { away: 0, xa: 10 }
        );
    }

    #[test]
    fn the_pane_shows_each_setting_and_values_read_as_words() {
        let state = State::new(Some("de".into()), 0, 20);
        let mut ui = simulator(state.view());
        // (A pick list draws its value itself, so the Simulator finds only the labels.)
        for shown in ["Language", "Away after", "Extended away after", "Close"] {
            assert!(ui.find(shown).is_ok(), "{shown} is shown");
        }
        assert_eq!(
            Language(state.language().map(Into::into)).to_string(),
            "Deutsch"
        );
        assert_eq!(Minutes(state.auto_away().0).to_string(), "Never");
        assert_eq!(Minutes(state.auto_away().1).to_string(), "20 minutes");
        assert_eq!(Minutes(1).to_string(), "1 minute");
    }

    #[test]
    fn minutes_read_in_each_language_with_its_plurals() {
        let say = |language: &str, n: u32| {
            crate::i18n::testing::in_language(language, || Minutes(n).to_string())
        };
        assert_eq!(say("ru", 1), "1 минуту");
        assert_eq!(say("ru", 2), "2 минуты");
        assert_eq!(say("ru", 5), "5 минут");
        assert_eq!(say("ru", 21), "21 минуту");
        assert_eq!(say("de", 1), "1 Minute");
        assert_eq!(say("es", 10), "10 minutos");
        assert_eq!(say("zh-CN", 5), "5 分钟");
        assert_eq!(say("en", 0), "Never");
    }
}

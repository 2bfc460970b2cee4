//! Long rosters: only the rows in view are built.

use super::*;

#[test]
fn five_thousand_contacts_build_only_the_visible_rows() {
    let mut state = State::default();
    let groups = ["Work", "Family", "Friends", "Club", ""];
    state.set_roster(
        (0..5_000)
            .map(|i| {
                let group = groups[i % groups.len()];
                let groups: &[&str] = if group.is_empty() { &[] } else { &[group] };
                item(
                    &format!("user{i}@example.org"),
                    Some(&format!("User {i:04}")),
                    groups,
                    Subscription::Both,
                    false,
                )
            })
            .collect(),
    );
    for i in (0..5_000).step_by(3) {
        state.set_presence(
            &full(&format!("user{i}@example.org/r")),
            presence(Show::Available, "here"),
            1,
        );
    }
    let runs = 20;
    let started = Instant::now();
    std::hint::black_box(state.groups());
    let first = started.elapsed();
    let started = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(state.groups());
    }
    let groups_time = started.elapsed() / runs;
    let started = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(state.view());
    }
    let view_time = started.elapsed() / runs;
    let started = Instant::now();
    let shown = texts(state.view());
    let layout_time = started.elapsed();
    println!(
        "roster at 5,000 contacts: first groups() {first:?}, then groups() {groups_time:?}, \
         groups()+view() {view_time:?}, \
         view+layout+walk in the simulator {layout_time:?}, {} texts built",
        shown.len()
    );
    // Club sorts first; its first online member is User 0003.
    assert!(position(&shown, "Club") < position(&shown, "User 0003"));
    assert!(
        !shown.contains(&"Work".to_owned()),
        "Work is far below the window"
    );
    assert!(
        shown.len() < 400,
        "only the visible rows are built: {}",
        shown.len()
    );
}

#[test]
fn scrolling_builds_the_rows_that_come_into_view() {
    let mut state = State::default();
    state.set_roster(
        (0..2_000)
            .map(|i| {
                item(
                    &format!("user{i}@example.org"),
                    Some(&format!("User {i:04}")),
                    &[],
                    Subscription::Both,
                    false,
                )
            })
            .collect(),
    );
    let first = texts(state.view());
    assert!(first.contains(&"User 0000".to_owned()) && !first.contains(&"User 1000".to_owned()));

    let mut ui = simulator(state.view());
    ui.point_at(iced::Point::new(500.0, 500.0));
    let wheel = iced::mouse::ScrollDelta::Pixels {
        x: 0.0,
        y: -(ROW_HEIGHT * 1000.0),
    };
    ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
        delta: wheel,
    })]);
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        messages.iter().any(|m| matches!(m, Message::Scrolled(_))),
        "{messages:?}"
    );
    feed(messages, &mut state);

    let shown = texts(state.view());
    assert!(
        !shown.contains(&"User 0000".to_owned()),
        "the top rows are no longer built"
    );
    assert!(shown.contains(&"User 1000".to_owned()), "{shown:?}");
}

//! Every (state, action, role) cell of the permission table, for three
//! standings of each role: handling the case, in whose jurisdiction it lies
//! (without handling it), and an outsider. The expected table below is
//! written as the centres describe their work, role by role, independently of
//! how `check` is written (in terms of handler, dispatcher, supervisor).

use super::action::ActionKind;
use super::policy::{Facts, Refusal, Standing, check};
use super::status::Status;
use crate::Role;

/// R resident, G grid worker, C village cadre, T township operator, K county
/// operator, D department handler, S supervisor, A admin.
fn role_of(c: char) -> Role {
    match c {
        'R' => Role::Resident,
        'G' => Role::GridWorker,
        'C' => Role::VillageCadre,
        'T' => Role::TownshipOperator,
        'K' => Role::CountyOperator,
        'D' => Role::DepartmentHandler,
        'S' => Role::Supervisor,
        'A' => Role::Admin,
        _ => panic!("unknown role letter {c}"),
    }
}

// action | states it applies in | roles allowed when handling | in jurisdiction | outsider
const TABLE: &str = "
submit              | *                                                           | RGCTKA   | RGCTKA | RGCTKA
accept              | submitted                                                   | TKA      | TKA    | A
reject              | submitted                                                   | TKA      | TKA    | A
assign              | submitted returned                                          | TKA      | TKA    | A
sign_for            | assigned                                                    | GCTKD    | -      | -
return              | assigned signed_for                                         | GCTKD    | -      | -
start               | signed_for                                                  | GCTKD    | -      | -
note                | submitted assigned signed_for in_progress returned resolved | RGCTKDSA | TKSA   | A
request_co_handling | signed_for in_progress                                      | GCTKDA   | TKA    | A
report_task         | signed_for in_progress                                      | -        | -      | -
resolve             | in_progress                                                 | GCTKD    | -      | -
escalate            | assigned signed_for in_progress                             | GCTKDA   | TKA    | A
reassign            | assigned signed_for in_progress returned                    | TKA      | TKA    | A
merge               | submitted assigned signed_for in_progress returned          | TKA      | TKA    | A
close               | resolved                                                    | TKA      | TKA    | A
rate                | resolved closed                                             | RTKA     | TKA    | A
reopen              | resolved closed                                             | RTKA     | TKA    | A
extend              | assigned signed_for in_progress                             | TKSA     | TKSA   | A
supervise           | submitted assigned signed_for in_progress returned          | KSA      | KSA    | A
answer_supervision  | submitted assigned signed_for in_progress returned          | GCTKD    | -      | -
";

/// The standing of a role "handling" the case: the resident reported it, the
/// grid worker and cadre are its assignee, operators and department handlers
/// sit at its lead unit, the supervisor watches its area.
fn handling(role: Role) -> Standing {
    let mut s = Standing {
        role: Some(role),
        in_jurisdiction: role != Role::Resident,
        ..Standing::default()
    };
    match role {
        Role::Resident => s.reporter = true,
        Role::GridWorker | Role::VillageCadre => {
            s.assignee = true;
            s.at_lead_unit = true;
        }
        Role::TownshipOperator | Role::CountyOperator | Role::DepartmentHandler => {
            s.at_lead_unit = true
        }
        Role::Supervisor | Role::Admin => {}
    }
    s
}

type StandingOf = fn(Role) -> Standing;

fn in_jurisdiction(role: Role) -> Standing {
    Standing {
        role: Some(role),
        in_jurisdiction: true,
        ..Standing::default()
    }
}

fn outsider(role: Role) -> Standing {
    Standing {
        role: Some(role),
        ..Standing::default()
    }
}

#[test]
fn every_state_action_role_cell_matches_the_table() {
    let facts_in = |status| Facts {
        open_orders: 1,
        ..Facts::new(status)
    };
    let mut cells = 0;
    let mut seen_actions = Vec::new();
    for line in TABLE.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let action = ActionKind::ALL
            .into_iter()
            .find(|a| a.as_str() == cols[0])
            .expect("action in table");
        seen_actions.push(action);
        let states: Vec<Status> = if cols[1] == "*" {
            Status::ALL.to_vec()
        } else {
            cols[1]
                .split_whitespace()
                .map(|s| s.parse().expect("state in table"))
                .collect()
        };
        let standings: [(&str, StandingOf); 3] = [
            ("handling", handling),
            ("in jurisdiction", in_jurisdiction),
            ("outsider", outsider),
        ];
        for (col, (label, standing)) in standings.iter().enumerate() {
            let allowed: Vec<Role> = cols[2 + col]
                .chars()
                .filter(|&c| c != '-')
                .map(role_of)
                .collect();
            for status in Status::ALL {
                for role in Role::ALL {
                    let got = check(&standing(role), &facts_in(status), action);
                    let want = if !states.contains(&status) {
                        Err(Refusal::WrongState)
                    } else if !allowed.contains(&role) {
                        Err(Refusal::NotPermitted)
                    } else {
                        Ok(())
                    };
                    assert_eq!(got, want, "{action} by {role:?} ({label}) in {status}");
                    cells += 1;
                }
            }
        }
    }
    seen_actions.sort();
    let mut all = ActionKind::ALL.to_vec();
    all.sort();
    assert_eq!(seen_actions, all, "the table has a row for every action");
    assert_eq!(cells, 20 * 9 * 8 * 3);
}

#[test]
fn co_handlers_report_and_nobody_else() {
    let co = Standing {
        role: Some(Role::DepartmentHandler),
        co_handler: true,
        ..Standing::default()
    };
    assert_eq!(
        check(&co, &Facts::new(Status::InProgress), ActionKind::ReportTask),
        Ok(())
    );
    assert_eq!(
        check(&co, &Facts::new(Status::InProgress), ActionKind::Note),
        Ok(())
    );
    assert_eq!(
        check(&co, &Facts::new(Status::InProgress), ActionKind::Resolve),
        Err(Refusal::NotPermitted)
    );
    assert!(co.may_read() && co.may_see_parties());
}

#[test]
fn facts_beyond_the_state_refuse_with_their_own_code() {
    let cadre = handling(Role::VillageCadre);
    let open = Facts {
        open_tasks: 2,
        ..Facts::new(Status::InProgress)
    };
    assert_eq!(
        check(&cadre, &open, ActionKind::Resolve),
        Err(Refusal::CoHandlingOpen)
    );
    let top = Facts {
        at_top_tier: true,
        ..Facts::new(Status::InProgress)
    };
    assert_eq!(
        check(&cadre, &top, ActionKind::Escalate),
        Err(Refusal::TopTier)
    );
    let rated = Facts {
        rated: true,
        ..Facts::new(Status::Closed)
    };
    assert_eq!(
        check(&handling(Role::Resident), &rated, ActionKind::Rate),
        Err(Refusal::AlreadyRated)
    );
    assert_eq!(
        check(
            &cadre,
            &Facts::new(Status::InProgress),
            ActionKind::AnswerSupervision
        ),
        Err(Refusal::NoOpenOrder)
    );
}

#[test]
fn bystanders_read_nothing_and_personal_data_stays_with_handlers() {
    // A grid worker of another grid, a resident who did not report it.
    assert!(!outsider(Role::GridWorker).may_read());
    assert!(!outsider(Role::Resident).may_read());
    // The reporter follows the case but does not see the other parties' details.
    assert!(handling(Role::Resident).may_read());
    assert!(!handling(Role::Resident).may_see_parties());
    // A cadre of the village sees the case but not the parties unless handling it.
    assert!(in_jurisdiction(Role::VillageCadre).may_read());
    assert!(!in_jurisdiction(Role::VillageCadre).may_see_parties());
    assert!(handling(Role::VillageCadre).may_see_parties());
    assert!(in_jurisdiction(Role::Supervisor).may_see_parties());
}

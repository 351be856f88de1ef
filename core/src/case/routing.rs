//! Routing as data: rules keyed by category, risk colour and size give the
//! tier a case starts at, whether a department leads it, and which
//! departments handle it jointly. The grid's place in the tree then picks the
//! actual units (the server does that; the core has no tree).
//!
//! The highest-priority rule whose conditions all hold wins; a rule set must
//! contain a catch-all so that every case is routed somewhere.

use super::ladder::Level;
use crate::category;
use crate::department::DepartmentKind;
use crate::risk::RiskColour;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rule {
    /// Stable id, recorded on every case the rule routes.
    pub id: String,
    pub name: String,
    /// Higher is tried first.
    pub priority: i32,
    /// Category codes this rule is for; empty means any.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Applies from this risk colour up (blue < yellow < orange < red).
    #[serde(default)]
    pub min_colour: Option<RiskColour>,
    /// Applies when at least this many people are affected.
    #[serde(default)]
    pub min_people: Option<u32>,
    /// Applies when at least this much money (yuan) is at stake.
    #[serde(default)]
    pub min_amount_yuan: Option<u64>,
    /// The tier level the case starts at.
    pub start: Level,
    /// A department that leads instead of the territorial unit.
    #[serde(default)]
    pub lead_department: Option<DepartmentKind>,
    /// Departments called in to handle it jointly.
    #[serde(default)]
    pub co_handling: Vec<DepartmentKind>,
}

/// What routing looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    pub category: &'a str,
    pub colour: Option<RiskColour>,
    pub people_affected: u32,
    pub amount_yuan: u64,
}

impl Rule {
    #[must_use]
    pub fn matches(&self, s: &Subject<'_>) -> bool {
        (self.categories.is_empty() || self.categories.iter().any(|c| c == s.category))
            && self
                .min_colour
                .is_none_or(|min| s.colour.is_some_and(|c| c >= min))
            && self.min_people.is_none_or(|n| s.people_affected >= n)
            && self.min_amount_yuan.is_none_or(|n| s.amount_yuan >= n)
    }

    fn is_catch_all(&self) -> bool {
        self.categories.is_empty()
            && self.min_colour.is_none()
            && self.min_people.is_none()
            && self.min_amount_yuan.is_none()
    }
}

/// The rule that routes `s`: highest priority first, then the order given.
#[must_use]
pub fn route<'r>(rules: &'r [Rule], s: &Subject<'_>) -> Option<&'r Rule> {
    rules
        .iter()
        .filter(|r| r.matches(s))
        .fold(None, |best: Option<&Rule>, r| match best {
            Some(b) if b.priority >= r.priority => Some(b),
            _ => Some(r),
        })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("rule id {0:?} must be 1 to 60 characters of a-z, 0-9 and _")]
    BadId(String),
    #[error("rule id {0:?} appears twice")]
    DuplicateId(String),
    #[error("rule {0:?}: its name is empty")]
    EmptyName(String),
    #[error("rule {rule:?}: unknown category {category:?}")]
    UnknownCategory { rule: String, category: String },
    /// A department co-handling its own case would hand work to itself.
    #[error(
        "rule {rule:?}: {department} leads and co-handles at once; a unit cannot hand work to itself"
    )]
    SelfLoop {
        rule: String,
        department: DepartmentKind,
    },
    #[error("rule {rule:?}: {department} is listed twice as co-handling")]
    DuplicateCoHandler {
        rule: String,
        department: DepartmentKind,
    },
    #[error("no catch-all rule (one without conditions): some cases would not be routed")]
    NoCatchAll,
}

impl RuleError {
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            RuleError::SelfLoop { .. } => "routing_loop",
            RuleError::UnknownCategory { .. } => "unknown_category",
            _ => "invalid_rule",
        }
    }
}

/// Checks a whole rule set before it replaces the one in force.
///
/// # Errors
/// The first problem found, naming the rule.
pub fn validate(rules: &[Rule]) -> Result<(), RuleError> {
    for (i, r) in rules.iter().enumerate() {
        let id_ok = (1..=60).contains(&r.id.len())
            && r.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            return Err(RuleError::BadId(r.id.clone()));
        }
        if rules[..i].iter().any(|p| p.id == r.id) {
            return Err(RuleError::DuplicateId(r.id.clone()));
        }
        if r.name.trim().is_empty() {
            return Err(RuleError::EmptyName(r.id.clone()));
        }
        if let Some(c) = r.categories.iter().find(|c| category::by_code(c).is_none()) {
            return Err(RuleError::UnknownCategory {
                rule: r.id.clone(),
                category: c.clone(),
            });
        }
        if let Some(d) = r.lead_department.filter(|d| r.co_handling.contains(d)) {
            return Err(RuleError::SelfLoop {
                rule: r.id.clone(),
                department: d,
            });
        }
        if let Some((_, d)) = r
            .co_handling
            .iter()
            .enumerate()
            .find(|&(j, d)| r.co_handling[..j].contains(d))
        {
            return Err(RuleError::DuplicateCoHandler {
                rule: r.id.clone(),
                department: *d,
            });
        }
    }
    if !rules.iter().any(Rule::is_catch_all) {
        return Err(RuleError::NoCatchAll);
    }
    Ok(())
}

fn rule(id: &str, name: &str, priority: i32, categories: &[&str], start: Level) -> Rule {
    Rule {
        id: id.to_owned(),
        name: name.to_owned(),
        priority,
        categories: categories.iter().map(|&c| c.to_owned()).collect(),
        min_colour: None,
        min_people: None,
        min_amount_yuan: None,
        start,
        lead_department: None,
        co_handling: Vec::new(),
    }
}

/// The rules a county starts with, from how the centres in DOMAIN.md work:
/// small matters stay in the grid and village, big ones go to the township
/// (小事不出村、大事不出镇), and departments are called in where the matter is theirs.
#[must_use]
pub fn default_rules() -> Vec<Rule> {
    use DepartmentKind as D;
    vec![
        Rule {
            min_colour: Some(RiskColour::Red),
            ..rule(
                "red_risk",
                "红色风险：乡镇综治中心牵头",
                100,
                &[],
                Level::Township,
            )
        },
        Rule {
            min_people: Some(10),
            co_handling: vec![D::Labour],
            ..rule(
                "wage_arrears_10_plus",
                "欠薪10人以上：乡镇综治中心牵头，人社协办",
                90,
                &["wage_arrears"],
                Level::Township,
            )
        },
        Rule {
            min_amount_yuan: Some(100_000),
            co_handling: vec![D::JudicialOffice],
            ..rule(
                "large_sum",
                "涉案金额10万元以上：乡镇综治中心牵头，司法所协办",
                80,
                &[],
                Level::Township,
            )
        },
        Rule {
            co_handling: vec![D::Labour],
            ..rule(
                "labour",
                "劳动争议与工伤：乡镇综治中心牵头，人社协办",
                60,
                &["labour_dispute", "work_injury"],
                Level::Township,
            )
        },
        Rule {
            co_handling: vec![D::Labour],
            ..rule(
                "wage_arrears",
                "欠薪：村(社区)办理，人社协办",
                50,
                &["wage_arrears"],
                Level::Village,
            )
        },
        Rule {
            lead_department: Some(D::Petitions),
            ..rule(
                "petition",
                "信访事项：信访部门牵头",
                50,
                &["petition"],
                Level::County,
            )
        },
        Rule {
            co_handling: vec![D::PoliceStation],
            ..rule(
                "traffic_accident",
                "交通事故纠纷：乡镇综治中心牵头，派出所协办",
                50,
                &["traffic_accident"],
                Level::Township,
            )
        },
        Rule {
            co_handling: vec![D::FinancialRegulator],
            ..rule(
                "financial_consumer",
                "金融消费纠纷：县综治中心牵头，金融监管协办",
                50,
                &["financial_consumer"],
                Level::County,
            )
        },
        Rule {
            co_handling: vec![D::Housing],
            ..rule(
                "property_management",
                "物业纠纷：社区办理，住建协办",
                50,
                &["property_management"],
                Level::Village,
            )
        },
        Rule {
            min_colour: Some(RiskColour::Orange),
            co_handling: vec![D::WomensFederation],
            ..rule(
                "family_orange",
                "婚姻家庭橙色风险：乡镇综治中心牵头，妇联协办",
                70,
                &["family_dispute"],
                Level::Township,
            )
        },
        rule(
            "safety_hazard",
            "安全隐患：村(社区)处置",
            40,
            &["safety_hazard"],
            Level::Village,
        ),
        rule("grid_first", "先由网格员就地调处", 0, &[], Level::Grid),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(category: &str) -> Subject<'_> {
        Subject {
            category,
            colour: None,
            people_affected: 1,
            amount_yuan: 0,
        }
    }

    #[test]
    fn the_defaults_route_as_the_articles_describe() {
        let rules = default_rules();
        assert_eq!(validate(&rules), Ok(()));
        let neighbour = route(&rules, &subject("neighbour_dispute")).unwrap();
        assert_eq!(
            (neighbour.id.as_str(), neighbour.start),
            ("grid_first", Level::Grid)
        );
        let wages = Subject {
            people_affected: 42,
            amount_yuan: 300_000,
            ..subject("wage_arrears")
        };
        let r = route(&rules, &wages).unwrap();
        assert_eq!(
            (r.id.as_str(), r.start),
            ("wage_arrears_10_plus", Level::Township)
        );
        assert_eq!(r.co_handling, vec![DepartmentKind::Labour]);
        let red = Subject {
            colour: Some(RiskColour::Red),
            ..subject("noise")
        };
        assert_eq!(route(&rules, &red).unwrap().start, Level::Township);
        let few = Subject {
            people_affected: 3,
            ..subject("wage_arrears")
        };
        assert_eq!(route(&rules, &few).unwrap().start, Level::Village);
    }

    #[test]
    fn bad_rule_sets_are_refused_naming_the_rule() {
        let mut rules = default_rules();
        rules.retain(|r| r.id != "grid_first");
        assert_eq!(validate(&rules), Err(RuleError::NoCatchAll));

        let mut rules = default_rules();
        rules[1].lead_department = Some(DepartmentKind::Labour);
        let e = validate(&rules).unwrap_err();
        assert_eq!(e.code(), "routing_loop");
        assert!(e.to_string().contains("wage_arrears_10_plus"));

        let mut rules = default_rules();
        rules[0].categories = vec!["ghosts".into()];
        assert_eq!(validate(&rules).unwrap_err().code(), "unknown_category");
    }
}

//! Discovery, the service list and service definitions: Gridline's case
//! categories as Open311 services (the category code is the
//! `service_code`), named in Chinese or English by `Accept-Language`.

use super::doc::Doc;
use super::lang::Lang;
use gridline_core::category::{CATEGORIES, Category};

/// When the service list or a definition last changed: clients refresh
/// their caches when this moves.
pub const CHANGESET: &str = "2026-11-21T00:00:00+08:00";

/// The discovery document: this server's production endpoint and its test
/// endpoint (which checks submissions fully and stores nothing).
pub fn discovery(base: &str) -> Doc {
    let endpoint = |path: &str, kind: &str| {
        Doc::Record(vec![
            (
                "specification",
                Doc::text("http://wiki.open311.org/GeoReport_v2"),
            ),
            ("url", Doc::text(format!("{base}{path}"))),
            ("changeset", Doc::text(CHANGESET)),
            ("type", Doc::text(kind)),
            (
                "formats",
                Doc::list(
                    "format",
                    vec![Doc::text("text/xml"), Doc::text("application/json")],
                ),
            ),
        ])
    };
    Doc::Record(vec![
        ("changeset", Doc::text(CHANGESET)),
        (
            "contact",
            Doc::text(
                "The county's social governance centre (县社会治理中心); 12345 for the public.",
            ),
        ),
        (
            "key_service",
            Doc::text(
                "Systems that transfer cases (12345, 110, courts) get an api_key from the county's Gridline administrator; residents may submit without one, within a rate limit.",
            ),
        ),
        (
            "endpoints",
            Doc::list(
                "endpoint",
                vec![
                    endpoint("/open311/v2", "production"),
                    endpoint("/open311/test/v2", "test"),
                ],
            ),
        ),
    ])
}

/// An extra field a category asks for, as a service definition attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

/// How many people it touches: every category.
pub const PEOPLE_AFFECTED: Attribute = Attribute {
    code: "people_affected",
    name_zh: "涉及人数",
    name_en: "Number of people affected",
};

/// The money at stake: disputes (wages owed, a debt, a deposit).
pub const AMOUNT_YUAN: Attribute = Attribute {
    code: "amount_yuan",
    name_zh: "涉及金额（元）",
    name_en: "Amount involved or owed (yuan)",
};

/// The attributes `category` takes, in order. Both are whole numbers and
/// optional; they feed routing (a large group or sum goes higher).
pub fn attributes(category: &Category) -> Vec<Attribute> {
    if category.is_dispute {
        vec![PEOPLE_AFFECTED, AMOUNT_YUAN]
    } else {
        vec![PEOPLE_AFFECTED]
    }
}

pub fn service_name(c: &Category, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => c.name_zh,
        Lang::En => c.name_en,
    }
}

fn service(c: &Category, lang: Lang) -> Doc {
    let (description, group) = match (lang, c.is_dispute) {
        (Lang::Zh, true) => (
            "矛盾纠纷：先由网格员、村（社区）调解，调解不成逐级上报。",
            "矛盾纠纷",
        ),
        (Lang::Zh, false) => ("事项：由网格所在村（社区）或相关部门办理。", "事项"),
        (Lang::En, true) => (
            "A dispute: mediated first by the grid worker and the village, then passed up the tiers if unresolved.",
            "Disputes",
        ),
        (Lang::En, false) => (
            "A matter handled by the village of its grid or by a department.",
            "Matters",
        ),
    };
    Doc::Record(vec![
        ("service_code", Doc::text(c.code)),
        ("service_name", Doc::text(service_name(c, lang))),
        ("description", Doc::text(description)),
        ("metadata", Doc::Bool(!attributes(c).is_empty())),
        ("type", Doc::text("realtime")),
        (
            "keywords",
            Doc::text(format!("{}, {}", c.name_zh, c.name_en)),
        ),
        ("group", Doc::text(group)),
    ])
}

pub fn list(lang: Lang) -> Doc {
    Doc::list(
        "service",
        CATEGORIES.iter().map(|c| service(c, lang)).collect(),
    )
}

pub fn definition(c: &Category, lang: Lang) -> Doc {
    let attributes = attributes(c)
        .into_iter()
        .zip(1..)
        .map(|(a, order)| {
            Doc::Record(vec![
                ("variable", Doc::Bool(true)),
                ("code", Doc::text(a.code)),
                ("datatype", Doc::text("number")),
                ("required", Doc::Bool(false)),
                (
                    "datatype_description",
                    Doc::text(match lang {
                        Lang::Zh => "非负整数",
                        Lang::En => "A whole number, 0 or more",
                    }),
                ),
                ("order", Doc::Int(order)),
                (
                    "description",
                    Doc::text(match lang {
                        Lang::Zh => a.name_zh,
                        Lang::En => a.name_en,
                    }),
                ),
                ("values", Doc::list("value", vec![])),
            ])
        })
        .collect();
    Doc::Record(vec![
        ("service_code", Doc::text(c.code)),
        ("attributes", Doc::list("attribute", attributes)),
    ])
}

//! Case categories named in the centres' reports, as data: a code clients and
//! routing rules use, and the Chinese and English names people read.

use serde::{Serialize, Serializer};

/// One category of case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Category {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Disputes between parties go to mediation; hazards and requests do not.
    pub is_dispute: bool,
}

impl Serialize for Category {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Category", 4)?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("name_zh", self.name_zh)?;
        st.serialize_field("name_en", self.name_en)?;
        st.serialize_field("is_dispute", &self.is_dispute)?;
        st.end()
    }
}

const fn dispute(code: &'static str, name_zh: &'static str, name_en: &'static str) -> Category {
    Category {
        code,
        name_zh,
        name_en,
        is_dispute: true,
    }
}

const fn matter(code: &'static str, name_zh: &'static str, name_en: &'static str) -> Category {
    Category {
        code,
        name_zh,
        name_en,
        is_dispute: false,
    }
}

/// Every category, in the order a picker shows them.
pub const CATEGORIES: &[Category] = &[
    dispute("neighbour_dispute", "邻里纠纷", "Neighbour dispute"),
    dispute(
        "family_dispute",
        "婚姻家庭纠纷",
        "Marriage and family dispute",
    ),
    dispute(
        "land_dispute",
        "土地纠纷(边界、流转租金)",
        "Land dispute (boundaries, land rent)",
    ),
    dispute("wage_arrears", "拖欠工资", "Wage arrears"),
    dispute("labour_dispute", "劳动争议", "Labour dispute"),
    dispute("work_injury", "工伤纠纷", "Work injury"),
    dispute(
        "property_management",
        "物业纠纷",
        "Property management dispute",
    ),
    dispute("traffic_accident", "交通事故纠纷", "Traffic accident"),
    dispute("debt", "债务借贷纠纷", "Debt and loan dispute"),
    dispute(
        "financial_consumer",
        "金融消费纠纷",
        "Financial consumer dispute",
    ),
    dispute("rental_deposit", "租房押金纠纷", "Rental deposit dispute"),
    dispute("noise", "噪音扰民", "Noise"),
    dispute(
        "inheritance",
        "继承与财产纠纷",
        "Inheritance and property dispute",
    ),
    matter("safety_hazard", "安全隐患", "Safety hazard"),
    matter("petition", "信访事项", "Petition (letters and visits)"),
    matter("other", "其他", "Other"),
];

/// The category with this code.
#[must_use]
pub fn by_code(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_filled() {
        let codes: HashSet<_> = CATEGORIES.iter().map(|c| c.code).collect();
        let names: HashSet<_> = CATEGORIES.iter().map(|c| c.name_zh).collect();
        assert_eq!(codes.len(), CATEGORIES.len());
        assert_eq!(names.len(), CATEGORIES.len());
        assert!(CATEGORIES.iter().all(|c| !c.name_en.is_empty()));
    }

    #[test]
    fn the_articles_categories_are_all_there() {
        for code in [
            "neighbour_dispute",
            "family_dispute",
            "land_dispute",
            "wage_arrears",
            "property_management",
            "traffic_accident",
            "debt",
            "noise",
            "safety_hazard",
            "petition",
        ] {
            assert!(by_code(code).is_some(), "{code}");
        }
        assert_eq!(by_code("wage_arrears").map(|c| c.name_zh), Some("拖欠工资"));
        assert!(by_code("parking").is_none());
    }
}

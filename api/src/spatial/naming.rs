//! Placing generated grids in a believable tree: townships (the real ones
//! where the county is one of the five seed counties), villages of a few grids
//! each, and codes in the national pattern (6-digit county, 12-digit township
//! and village, 15-digit grid).

use super::generate::{SplitMix64, kmeans};
use super::geojson_in::{GridFeature, UnitSpec};
use super::index::Rings;
use gridline_core::{OrgCode, OrgName};

/// A township's code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Township {
    pub code: String,
    pub name: String,
}

/// The real townships of the five seed counties: `townships_5counties.csv`
/// from shared/data (public DataV / statistics-bureau crawl; see
/// assets/README.md), reduced to what naming needs.
const TOWNSHIPS_CSV: &str = include_str!("../../assets/townships_5counties.csv");

/// The townships of `county_code` from the bundled list, in code order.
#[must_use]
pub fn known_townships(county_code: &str) -> Vec<Township> {
    let mut out: Vec<Township> = TOWNSHIPS_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split(',').map(|c| c.trim_matches('"')).collect();
            (cols.len() >= 8 && cols[1] == county_code && cols[2] == "3").then(|| Township {
                code: cols[6].to_owned(),
                name: cols[7].to_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

const PLACE_STEMS: &[&str] = &[
    "东", "西", "南", "北", "上", "下", "前", "后", "新", "老", "大", "小", "红", "青", "石", "沙",
    "河", "山", "泉", "柳", "杨", "李", "王", "张", "马", "刘", "陈", "赵", "黄", "周", "吴", "徐",
    "孙", "胡", "朱", "高", "林", "何", "郭", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "董",
    "曹", "袁", "邓", "许", "苏", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "白", "崔", "毛", "秦",
    "史", "侯", "孟", "段", "常", "武", "乔", "贺", "双", "永", "兴", "丰", "金", "银", "花", "草",
    "龙", "凤", "牛", "羊", "古", "城", "寺", "庙", "桥", "峡", "湖", "滩", "坪", "岗",
];
const PLACE_MIDDLES: &[&str] = &[
    "家", "庄", "湾", "沟", "滩", "堡", "寨", "营", "坝", "渠", "台", "屯", "店", "园",
];

fn place_name(
    rng: &mut SplitMix64,
    used: &mut std::collections::HashSet<String>,
    suffix: &str,
) -> String {
    for _ in 0..1000 {
        let name = format!(
            "{}{}{suffix}",
            PLACE_STEMS[rng.below(PLACE_STEMS.len())],
            PLACE_MIDDLES[rng.below(PLACE_MIDDLES.len())]
        );
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("第{}{suffix}", used.len() + 1);
    used.insert(name.clone());
    name
}

fn centroid(parts: &Rings) -> [f64; 2] {
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    for &[x, y] in parts.iter().flatten().flatten() {
        sx += x;
        sy += y;
        n += 1.0;
    }
    [sx / n, sy / n]
}

fn unit(code: &str, name: &str) -> Option<UnitSpec> {
    Some(UnitSpec {
        code: OrgCode::parse(code).ok()?,
        name: OrgName::parse(name).ok()?,
    })
}

/// Names and places `grids` of the county `county_code`/`county_name`:
/// returns them as features ready for the same import path as a file.
/// `townships` may be empty, and then townships are invented.
#[must_use]
pub fn name_grids(
    county_code: &str,
    county_name: &str,
    grids: Vec<Rings>,
    townships: &[Township],
    seed: u64,
) -> Vec<GridFeature> {
    let mut rng = SplitMix64::new(seed ^ 0x005E_ED0F_7A11);
    let centres: Vec<[f64; 2]> = grids.iter().map(centroid).collect();
    let wanted = if townships.is_empty() {
        (grids.len() / 20).clamp(1, 30)
    } else {
        townships.len()
    };
    let t = wanted.min(grids.len());
    let (tcentres, tlabels) = kmeans(&centres, t, 10, &mut rng);
    // Number townships north to south, then west to east, like a map is read.
    let mut order: Vec<usize> = (0..tcentres.len()).collect();
    order.sort_by(|&a, &b| {
        tcentres[b][1]
            .total_cmp(&tcentres[a][1])
            .then(tcentres[a][0].total_cmp(&tcentres[b][0]))
    });
    let mut used_names = std::collections::HashSet::new();
    let county = unit(county_code, county_name);
    let mut out = Vec::with_capacity(grids.len());
    let mut grids: Vec<Option<Rings>> = grids.into_iter().map(Some).collect();
    for (ti, &cluster) in order.iter().enumerate() {
        let township = townships.get(ti).cloned().unwrap_or_else(|| Township {
            code: format!("{county_code}{:03}000", 100 + ti),
            name: place_name(&mut rng, &mut used_names, "镇"),
        });
        let urban = township.name.ends_with("街道");
        let members: Vec<usize> = (0..centres.len())
            .filter(|&g| tlabels[g] == cluster)
            .collect();
        let villages = members.len().div_ceil(4).max(1);
        let member_centres: Vec<[f64; 2]> = members.iter().map(|&g| centres[g]).collect();
        let (vcentres, vlabels) = kmeans(&member_centres, villages, 10, &mut rng);
        let mut vorder: Vec<usize> = (0..vcentres.len()).collect();
        vorder.sort_by(|&a, &b| {
            vcentres[b][1]
                .total_cmp(&vcentres[a][1])
                .then(vcentres[a][0].total_cmp(&vcentres[b][0]))
        });
        let prefix: String = township.code.chars().take(9).collect();
        for (vi, &vcluster) in vorder.iter().enumerate() {
            let vcode = format!("{prefix}{:03}", if urban { 1 + vi } else { 201 + vi });
            let vname = place_name(&mut rng, &mut used_names, if urban { "社区" } else { "村" });
            let mut k = 0;
            for (m, &g) in members.iter().enumerate() {
                if vlabels[m] != vcluster {
                    continue;
                }
                k += 1;
                let Some(rings) = grids[g].take() else {
                    continue;
                };
                let code = format!("{vcode}{k:03}");
                let Some(spec) = unit(&code, &format!("{vname}第{k}网格")) else {
                    continue;
                };
                out.push(GridFeature {
                    position: out.len(),
                    code: spec.code,
                    name: spec.name,
                    village: unit(&vcode, &vname),
                    township: unit(&township.code, &township.name),
                    county: county.clone(),
                    rings,
                    repaired: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shandan_has_its_ten_real_townships() {
        let t = known_townships("620725");
        assert_eq!(t.len(), 10);
        assert_eq!(
            t[0],
            Township {
                code: "620725101000".into(),
                name: "清泉镇".into()
            }
        );
        assert!(known_townships("999999").is_empty());
    }

    #[test]
    fn every_grid_gets_a_unique_code_in_a_village_in_a_township() {
        let grids: Vec<Rings> = (0..50)
            .map(|i| {
                let (x, y) = (
                    101.0 + f64::from(i % 10) * 0.01,
                    38.0 + f64::from(i / 10) * 0.01,
                );
                vec![vec![vec![
                    [x, y],
                    [x + 0.01, y],
                    [x + 0.01, y + 0.01],
                    [x, y + 0.01],
                    [x, y],
                ]]]
            })
            .collect();
        let named = name_grids("620725", "山丹县", grids, &known_townships("620725"), 3);
        assert_eq!(named.len(), 50);
        let codes: std::collections::HashSet<_> = named.iter().map(|g| g.code.clone()).collect();
        assert_eq!(codes.len(), 50);
        for g in &named {
            let village = g.village.as_ref().unwrap();
            let township = g.township.as_ref().unwrap();
            assert!(g.code.as_str().starts_with(village.code.as_str()));
            assert_eq!(&village.code.as_str()[..9], &township.code.as_str()[..9]);
            assert_eq!(g.code.as_str().len(), 15);
            assert!(township.code.as_str().starts_with("620725"));
        }
    }
}

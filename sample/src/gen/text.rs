//! Seeded titles and the checksum-valid numbers (resident ID, bank card) articles expose.

use crate::model::Category;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use Category as C;

const TOPICS: [&str; 24] = [
    "安全生产",
    "森林防火",
    "乡村振兴",
    "营商环境优化",
    "城乡环境综合治理",
    "防汛减灾",
    "耕地保护",
    "招商引资",
    "民生实事",
    "高标准农田建设",
    "文明城市创建",
    "消防安全",
    "冬春农田水利建设",
    "河长制",
    "就业创业",
    "养老服务",
    "义务教育",
    "医疗保障",
    "食品安全",
    "生态环境保护",
    "数字政府建设",
    "老旧小区改造",
    "农村人居环境整治",
    "粮食安全",
];

fn topic(rng: &mut ChaCha8Rng) -> &'static str {
    TOPICS[rng.gen_range(0..TOPICS.len())]
}

pub(super) fn title_for(cat: Category, short: &str, rng: &mut ChaCha8Rng, k: usize) -> String {
    let t = topic(rng);
    match cat {
        C::News => match k % 4 {
            0 => format!("{short}召开{t}工作推进会"),
            1 => format!("{short}开展{t}专项督导检查"),
            2 => format!("{short}部署{t}重点工作"),
            _ => format!("{t}工作取得阶段性成效"),
        },
        C::Notice => match k % 3 {
            0 => format!("关于做好{t}工作的通知"),
            1 => format!("关于{t}有关事项的公告"),
            _ => format!("{t}项目公示"),
        },
        C::Policy => format!("{short}关于印发《{t}实施方案》的通知"),
        C::Interpretation => format!("《{t}实施方案》政策解读"),
        C::Personnel => format!("{short}{}年公开招聘工作人员公告（{}）", 2026 - (k as i32 / 2), k + 1),
        C::Plan => format!("{short}{t}三年行动计划"),
        C::Finance => format!("{short}{}年部门预算公开", 2026 - k as i32),
        C::Statistics => format!("{short}{}月份主要经济指标", 12 - (k % 12)),
        C::Collection => format!("关于《{t}管理办法（征求意见稿）》公开征求意见的公告"),
        C::Interview => format!("在线访谈：聚焦{t}"),
        C::ServiceStats => format!("{short}政务服务办件公示（第{}期）", 40 - k),
        C::Consultation => format!("关于{t}的咨询"),
        _ => format!("{short}{t}信息公开"),
    }
}

/// Resident ID number with a valid ISO 7064 MOD 11-2 check character.
pub fn id_number(base17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let s: u32 = base17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{base17}{}", CHECK[(s % 11) as usize])
}

/// Bank card number with a valid Luhn check digit.
pub fn card_number(base: &str) -> String {
    let mut sum = 0;
    for (i, c) in base.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap();
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// Pinyin-initial URL segment of a column name, as real CMSs name their folders.
pub(super) fn seg_of(name: &str) -> &'static str {
    match name {
        "临江要闻" => "ljyw",
        "工作动态" => "gzdt",
        "图片新闻" => "tpxw",
        "公示公告" => "gsgg",
        "规范性文件" => "gfxwj",
        "通知公告" => "tzgg",
        "政策文件" => "zcwj",
        _ => "zwdt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_carry_a_valid_check_character() {
        // A well-known valid example: 11010519491231002X.
        assert_eq!(id_number("11010519491231002"), "11010519491231002X");
        let id = id_number("51082219850317123");
        assert_eq!(id.len(), 18);
    }

    #[test]
    fn card_numbers_pass_luhn() {
        // 4111 1111 1111 1111 is the classic Luhn-valid test number.
        assert_eq!(card_number("411111111111111"), "4111111111111111");
        assert_eq!(card_number("622202123456789012").len(), 19);
    }
}

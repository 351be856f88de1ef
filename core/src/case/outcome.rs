//! How a case was settled (多元化解).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// 调解成功: the parties agreed in mediation.
    Mediated,
    /// 签订调解协议: a written agreement was signed.
    AgreementSigned,
    /// 司法确认: the agreement was confirmed by a court.
    JudiciallyConfirmed,
    /// 引导仲裁: referred to arbitration.
    ReferredToArbitration,
    /// 引导诉讼: referred to litigation.
    ReferredToLitigation,
    /// 已处置: a hazard removed, a request done.
    Handled,
    /// 解释说明: explained; nothing to do.
    Explained,
    /// 撤回: the reporter withdrew it.
    Withdrawn,
}

impl Outcome {
    /// Whether the dispute was settled by agreement rather than sent on to
    /// arbitration or court: the "resolution" in the resolution rate.
    #[must_use]
    pub const fn is_settled(self) -> bool {
        !matches!(
            self,
            Outcome::ReferredToArbitration | Outcome::ReferredToLitigation
        )
    }
}

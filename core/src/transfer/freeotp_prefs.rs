//! The token store FreeOTP and its fork FreeOTP+ both keep, `shared_prefs/tokens.xml` of
//! `org.fedorahosted.freeotp` or `org.liberty.android.freeotpplus`, taken from a rooted phone
//! (docs/formats/freeotp.md, docs/formats/freeotp-plus-prefs.md): the SharedPreferences string
//! `tokenOrder` is a JSON list of token ids, and each token is a string named by its id whose
//! text is the token's JSON, the same object a FreeOTP+ JSON export lists under `tokens`.
//! Tokens come out in `tokenOrder`'s order, then any the order does not list.

use serde_json::Value;

use super::android_prefs::Prefs;
use super::crypto::WipedJson;
use super::entry::{Collector, entry_label, string, wrong_shape};
use super::freeotp_plus;
use super::report::{ImportError, ImportFormat, ImportReport};

const FORMAT: ImportFormat = ImportFormat::FreeOtpXml;
pub(super) const ORDER_KEY: &str = "tokenOrder";

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let prefs = Prefs::parse(bytes, FORMAT)?;
    let order = prefs
        .get(ORDER_KEY)
        .ok_or_else(|| wrong_shape(FORMAT, format!("it has no `{ORDER_KEY}` preference")))?;
    let order: Vec<String> = serde_json::from_str::<Vec<Value>>(order)
        .ok()
        .and_then(|ids| {
            ids.iter()
                .map(|id| id.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| {
            wrong_shape(
                FORMAT,
                format!("`{ORDER_KEY}` is not a JSON list of token ids"),
            )
        })?;
    let unlisted = prefs
        .iter()
        .map(|(name, _)| name)
        .filter(|name| *name != ORDER_KEY && !order.iter().any(|id| id == name))
        .map(str::to_string);
    let ids: Vec<String> = order.iter().cloned().chain(unlisted).collect();
    let mut out = Collector::default();
    out.read_each(&ids, |index, id| {
        let position = format!("token {}", index + 1);
        let Some(text) = prefs.get(id) else {
            return Some((
                format!("{position} (\"{id}\")"),
                Err("`tokenOrder` lists it but the file has no token of that id".to_string()),
            ));
        };
        let Some(token) = serde_json::from_str::<Value>(text).ok().map(WipedJson) else {
            return Some((
                format!("{position} (\"{id}\")"),
                Err("its token is not valid JSON".to_string()),
            ));
        };
        let label = entry_label(
            string(&token, "issuerExt"),
            string(&token, "label"),
            &position,
        );
        Some((label, freeotp_plus::read(&token)))
    });
    out.finish()
}

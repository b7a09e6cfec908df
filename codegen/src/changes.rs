//! Compares two summaries of the generated public API (`api.txt`) and says what changed
//! for users: added, removed and changed operations, types, fields and variants, and which
//! changes break existing callers.

use std::collections::BTreeMap;
use std::fmt;

/// One change between two summaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// The item, such as `field Contact.email` or `operation create_contact`.
    pub item: String,
    /// What it was, if it existed.
    pub before: Option<String>,
    /// What it is, if it still exists.
    pub after: Option<String>,
    /// Why existing callers break, when they do.
    pub breaks: Option<&'static str>,
}

impl fmt::Display for ApiChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.before, &self.after) {
            (None, Some(after)) => write!(f, "+ {}{}", self.item, suffix(after))?,
            (Some(before), None) => write!(f, "- {}{}", self.item, suffix(before))?,
            (Some(before), Some(after)) => write!(f, "~ {}: {before} -> {after}", self.item)?,
            (None, None) => write!(f, "? {}", self.item)?,
        }
        if let Some(reason) = self.breaks {
            write!(f, "  [breaking: {reason}]")?;
        }
        Ok(())
    }
}

fn suffix(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(": {value}")
    }
}

/// The changes from `before` to `after`, in item order.
pub fn compare(before: &str, after: &str) -> Vec<ApiChange> {
    let before = entries(before);
    let after = entries(after);
    let mut changes = Vec::new();
    for (item, old) in &before {
        match after.get(item) {
            None => changes.push(ApiChange {
                item: item.clone(),
                before: Some(old.clone()),
                after: None,
                breaks: Some("removed"),
            }),
            Some(new) if new != old => changes.push(ApiChange {
                item: item.clone(),
                before: Some(old.clone()),
                after: Some(new.clone()),
                breaks: Some(change_reason(item, old, new)),
            }),
            Some(_) => {}
        }
    }
    for (item, new) in &after {
        if !before.contains_key(item) {
            let required_field = item.starts_with("field ") && !new.starts_with("Option<");
            changes.push(ApiChange {
                item: item.clone(),
                before: None,
                after: Some(new.clone()),
                breaks: required_field.then_some("new required field"),
            });
        }
    }
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    changes
}

fn change_reason(item: &str, old: &str, new: &str) -> &'static str {
    if item.starts_with("field ")
        && old
            .strip_prefix("Option<")
            .and_then(|t| t.strip_suffix('>'))
            == Some(new)
    {
        "became required"
    } else if item.starts_with("operation ") {
        "changed signature"
    } else {
        "changed type"
    }
}

/// `kind name` to the rest of the line, skipping comments and blank lines.
fn entries(summary: &str) -> BTreeMap<String, String> {
    summary
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once(": ") {
            Some((item, value)) => (item.to_owned(), value.to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "# header\noperation list: GET /a () -> A\ntype A: struct\nfield A.id: i64\nfield A.note: Option<String>\nfield A.old: String\n";

    fn lines(after: &str) -> Vec<String> {
        compare(BEFORE, after)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn nothing_changed_means_no_changes() {
        assert!(compare(BEFORE, BEFORE).is_empty());
    }

    #[test]
    fn each_kind_of_change_is_named_and_judged() {
        let after = "operation list: GET /a (page: i64) -> A\ntype A: struct\nfield A.id: String\nfield A.note: String\nfield A.extra: Option<bool>\nfield A.size: i64\n";
        assert_eq!(
            lines(after),
            [
                "+ field A.extra: Option<bool>",
                "~ field A.id: i64 -> String  [breaking: changed type]",
                "~ field A.note: Option<String> -> String  [breaking: became required]",
                "- field A.old: String  [breaking: removed]",
                "+ field A.size: i64  [breaking: new required field]",
                "~ operation list: GET /a () -> A -> GET /a (page: i64) -> A  [breaking: changed signature]",
            ]
        );
    }
}

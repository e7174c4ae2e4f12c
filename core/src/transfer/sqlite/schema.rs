//! A table's column names, in order, from the `CREATE TABLE` statement SQLite keeps in its
//! schema table: records hold values by position only.

/// The names of the columns `sql` declares, lowercased, or `None` when it is not a
/// `CREATE TABLE ... ( ... )` statement.
pub(super) fn column_names(sql: &str) -> Option<Vec<String>> {
    let open = sql.find('(')?;
    let close = sql.rfind(')')?;
    let body = sql.get(open + 1..close)?;
    let mut columns = Vec::new();
    for definition in split_top_level(body) {
        let name = first_word(definition.trim())?;
        let keyword = name.to_ascii_uppercase();
        let constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];
        if constraint.contains(&keyword.as_str())
            && !definition.trim_start().starts_with(['"', '`', '['])
        {
            continue;
        }
        columns.push(name.to_ascii_lowercase());
    }
    Some(columns)
}

/// `body` split at the commas outside parentheses and quotes.
fn split_top_level(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0usize, None, 0);
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '[') => quote = Some(']'),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
}

/// The first identifier of a column definition, without its quotes.
fn first_word(definition: &str) -> Option<&str> {
    let mut chars = definition.chars();
    let close = match chars.next()? {
        '"' => '"',
        '`' => '`',
        '[' => ']',
        _ => {
            let end = definition
                .find(|c: char| c.is_whitespace() || c == '(')
                .unwrap_or(definition.len());
            return Some(&definition[..end]).filter(|w| !w.is_empty());
        }
    };
    let rest = &definition[1..];
    rest.find(close).map(|end| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_read_in_order_without_constraints() {
        let sql = "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, \
                   secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, \
                   \"Issuer\" TEXT DEFAULT (lower('a,b')), [original name] TEXT, \
                   UNIQUE (email, issuer), CONSTRAINT c CHECK (counter >= 0))";
        assert_eq!(
            column_names(sql).unwrap(),
            [
                "_id",
                "email",
                "secret",
                "counter",
                "type",
                "issuer",
                "original name"
            ]
        );
        assert_eq!(column_names("CREATE TABLE t"), None);
    }
}

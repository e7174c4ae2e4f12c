//! XPath expressions finding what a person sees: a field by its label, a button or a link by
//! its text. Texts are compared after XPath's `normalize-space` (runs of white space are one
//! space, none at either end).

/// `text` as an XPath string literal, whatever quotes it holds.
pub fn literal(text: &str) -> String {
    if !text.contains('"') {
        return format!("\"{text}\"");
    }
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
    format!("concat({})", parts.join(", '\"', "))
}

/// Every `<label>` whose text is `text`.
pub fn labels(text: &str) -> String {
    format!("//label[normalize-space(.)={}]", literal(text))
}

/// The form control inside a label (when it has no `for`).
pub const CONTROL_INSIDE: &str = ".//input | .//select | .//textarea";

/// Every form control named `name`.
pub fn named(name: &str) -> String {
    format!(
        "//*[(self::input or self::select or self::textarea) and @name={}]",
        literal(name)
    )
}

/// Every button reading `text`: a `<button>` or an `<input>` of type submit or button.
pub fn buttons(text: &str) -> String {
    let text = literal(text);
    format!(
        "//button[normalize-space(.)={text}] \
         | //input[(@type='submit' or @type='button') and normalize-space(@value)={text}]"
    )
}

/// Every button on the page, to list them when the one asked for is missing.
pub const ALL_BUTTONS: &str = "//button | //input[@type='submit' or @type='button']";

/// Every link reading `text`.
pub fn links(text: &str) -> String {
    format!("//a[normalize-space(.)={}]", literal(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_quote_whatever_the_text_holds() {
        assert_eq!(literal("User ID"), "\"User ID\"");
        assert_eq!(literal("say \"hi\""), "'say \"hi\"'");
        assert_eq!(
            literal("it's \"x\""),
            "concat(\"it's \", '\"', \"x\", '\"', \"\")"
        );
    }
}

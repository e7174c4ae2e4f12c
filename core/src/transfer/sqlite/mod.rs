//! Reading the tables of a SQLite database file held in memory: the read-only subset of
//! <https://www.sqlite.org/fileformat2.html> that exports taken from phones need (the schema
//! table, table b-trees, overflow pages, records in UTF-8 or UTF-16).
//!
//! Why not SQLite itself (rusqlite): its C code would need a C toolchain for every phone target
//! (tessera-ffi links this crate), the version that can sit beside the server's sqlx offers a
//! database in memory only through `unsafe` (this crate forbids it), and SQLite would free the
//! decrypted pages without wiping them. No well-kept pure-Rust reader exists. This one only
//! reads, never trusts a number in the file (every page is visited at most once, every length
//! is checked), and nothing is written to disk. A write-ahead log (`-wal` file) beside the
//! database is not read: its changes are not in the file until SQLite checkpoints it.

mod record;
mod schema;

use std::collections::HashSet;

pub(super) use record::Value;
use record::{Encoding, u16_at, u32_at, varint};

use super::crypto::damaged;
use super::report::ImportError;

/// The 16 bytes every SQLite database starts with.
pub(super) const MAGIC: &[u8; 16] = b"SQLite format 3\0";

const LEAF_TABLE: u8 = 13;
const INTERIOR_TABLE: u8 = 5;

/// A database file, checked for its header.
pub(super) struct Database<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    pages: u32,
    encoding: Encoding,
}

/// The rows of one table, with its column names.
pub(super) struct Table {
    columns: Vec<String>,
    /// Each row's values, in column order; a row written before a column was added has fewer.
    pub(super) rows: Vec<Vec<Value>>,
}

impl Table {
    /// The value of `column` (lowercase) in `row`; `Null` when the table or the row lacks it.
    pub(super) fn get<'r>(&self, row: &'r [Value], column: &str) -> &'r Value {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| row.get(i))
            .unwrap_or(&Value::Null)
    }

    /// Whether the table has `column` (lowercase).
    pub(super) fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column)
    }
}

impl<'a> Database<'a> {
    /// The database in `bytes`, or why it is not a SQLite database Tessera can read.
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        if !bytes.starts_with(MAGIC) {
            return Err(damaged("the database header", "is not SQLite's"));
        }
        let header = |problem: &str| damaged("the database header", problem.to_string());
        let page_size = match u16_at(bytes, 16).ok_or_else(|| header("is cut short"))? {
            1 => 65536,
            n if n >= 512 && n.is_power_of_two() => usize::from(n),
            _ => return Err(header("gives a page size SQLite does not use")),
        };
        let reserved = usize::from(*bytes.get(20).ok_or_else(|| header("is cut short"))?);
        let usable = page_size
            .checked_sub(reserved)
            .filter(|u| *u >= 480)
            .ok_or_else(|| header("reserves too much of each page"))?;
        if bytes.len() < page_size || !bytes.len().is_multiple_of(page_size) {
            return Err(damaged(
                "the database",
                format!(
                    "is {} bytes long, not a whole number of {page_size}-byte pages: is it complete?",
                    bytes.len()
                ),
            ));
        }
        let encoding = match u32_at(bytes, 56).ok_or_else(|| header("is cut short"))? {
            0 | 1 => Encoding::Utf8,
            2 => Encoding::Utf16Le,
            3 => Encoding::Utf16Be,
            _ => return Err(header("names a text encoding SQLite does not use")),
        };
        let pages = u32::try_from(bytes.len() / page_size)
            .map_err(|_| header("counts more pages than SQLite allows"))?;
        Ok(Database {
            bytes,
            page_size,
            usable,
            pages,
            encoding,
        })
    }

    /// The table called `name` (compared without case), or `None` when the database has none.
    pub(super) fn table(&self, name: &str) -> Result<Option<Table>, ImportError> {
        let schema = self.rows(1)?;
        for row in &schema {
            let text = |i: usize| match row.get(i) {
                Some(Value::Text(text)) => Some(text.as_str()),
                _ => None,
            };
            let found =
                text(0) == Some("table") && text(1).is_some_and(|n| n.eq_ignore_ascii_case(name));
            if !found {
                continue;
            }
            let root = match row.get(3) {
                Some(Value::Integer(root)) => u32::try_from(*root).ok(),
                _ => None,
            };
            let problem =
                |what: &str| damaged(format!("the schema of table `{name}`"), what.to_string());
            let root = root.ok_or_else(|| problem("has no valid root page"))?;
            let columns = text(4)
                .and_then(schema::column_names)
                .ok_or_else(|| problem("is not a CREATE TABLE statement Tessera can read"))?;
            let rows = self.rows(root)?;
            return Ok(Some(Table { columns, rows }));
        }
        Ok(None)
    }

    /// Every row of the table b-tree whose root is `root`, in rowid order.
    fn rows(&self, root: u32) -> Result<Vec<Vec<Value>>, ImportError> {
        let mut rows = Vec::new();
        let mut visited = HashSet::new();
        let mut pending = vec![root];
        // Depth first, right child pushed before left ones, so rows come out in order.
        while let Some(number) = pending.pop() {
            let page = self.page(number, &mut visited)?;
            let start = if number == 1 { 100 } else { 0 };
            let bad = |problem: &str| {
                damaged(
                    format!("page {number} of the database"),
                    problem.to_string(),
                )
            };
            let kind = *page.get(start).ok_or_else(|| bad("is cut short"))?;
            let cells = usize::from(u16_at(page, start + 3).ok_or_else(|| bad("is cut short"))?);
            let header_len = match kind {
                LEAF_TABLE => 8,
                INTERIOR_TABLE => 12,
                _ => return Err(bad("is not a page of a table")),
            };
            let pointer = |i: usize| {
                u16_at(page, start + header_len + 2 * i)
                    .map(usize::from)
                    .filter(|at| *at < self.usable)
                    .ok_or_else(|| bad("points to a cell outside the page"))
            };
            if kind == INTERIOR_TABLE {
                let right = u32_at(page, start + 8).ok_or_else(|| bad("is cut short"))?;
                pending.push(right);
                for i in (0..cells).rev() {
                    let at = pointer(i)?;
                    pending.push(u32_at(page, at).ok_or_else(|| bad("has a cell cut short"))?);
                }
                continue;
            }
            for i in 0..cells {
                let at = pointer(i)?;
                let payload = self.payload(page, at, &mut visited, number)?;
                rows.push(record::decode(&payload, self.encoding).map_err(&bad)?);
            }
        }
        Ok(rows)
    }

    /// The payload of the leaf cell at `at` of `page`, with its overflow pages followed.
    fn payload(
        &self,
        page: &[u8],
        at: usize,
        visited: &mut HashSet<u32>,
        number: u32,
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
        let bad = |problem: &str| {
            damaged(
                format!("page {number} of the database"),
                problem.to_string(),
            )
        };
        let cell = &page[at..self.usable];
        let (size, a) = varint(cell).ok_or_else(|| bad("has a cell cut short"))?;
        let (_rowid, b) = varint(&cell[a..]).ok_or_else(|| bad("has a cell cut short"))?;
        let size = usize::try_from(size).map_err(|_| bad("has a cell too large"))?;
        // The format's section 1.6: how much of a payload stays on the leaf page.
        let u = self.usable;
        let max_local = u - 35;
        let min_local = (u - 12) * 32 / 255 - 23;
        let local = if size <= max_local {
            size
        } else {
            let k = min_local + (size - min_local) % (u - 4);
            if k <= max_local { k } else { min_local }
        };
        let body = &cell[a + b..];
        let mut payload = zeroize::Zeroizing::new(
            body.get(..local)
                .ok_or_else(|| bad("has a cell cut short"))?
                .to_vec(),
        );
        if local < size {
            let mut next = u32_at(body, local).ok_or_else(|| bad("has a cell cut short"))?;
            while payload.len() < size {
                let overflow = self.page(next, visited)?;
                next = u32_at(overflow, 0).unwrap_or(0);
                let take = (size - payload.len()).min(u - 4);
                payload.extend_from_slice(&overflow[4..4 + take]);
            }
        }
        Ok(payload)
    }

    /// Page `number` (from 1), once: a page reached twice means the file loops.
    fn page(&self, number: u32, visited: &mut HashSet<u32>) -> Result<&'a [u8], ImportError> {
        if number == 0 || number > self.pages {
            return Err(damaged(
                "the database",
                format!("points to page {number}, which it does not have (is it complete?)"),
            ));
        }
        if !visited.insert(number) {
            return Err(damaged(
                "the database",
                format!("reaches page {number} twice: its pages loop"),
            ));
        }
        let start = (number as usize - 1) * self.page_size;
        Ok(&self.bytes[start..start + self.page_size])
    }
}

#[cfg(test)]
impl Table {
    /// A table without rows, for tests of the readers that look columns up.
    pub(in crate::transfer) fn for_tests(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

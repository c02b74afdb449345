//! A small Apache Parquet writer for flat tables: required columns of 64-bit integers, timestamps (ms, UTC),
//! doubles and UTF-8 strings, PLAIN-encoded and uncompressed, one data page per column per row group.
//!
//! Enough for the research export to open in pandas, DuckDB and pyarrow (the test reads it back with pyarrow)
//! without pulling the `parquet`/`arrow` crates into the build. The layout follows the format specification
//! (`parquet-format`, `parquet.thrift`): `PAR1`, each column chunk as a page header plus its values, then the
//! file metadata in Thrift's compact protocol, its length, and `PAR1` again.

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Int64(Vec<i64>),
    /// Milliseconds since 1970-01-01T00:00Z.
    TimestampMillis(Vec<i64>),
    Double(Vec<f64>),
    Utf8(Vec<String>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Int64(v) | Column::TimestampMillis(v) => v.len(),
            Column::Double(v) => v.len(),
            Column::Utf8(v) => v.len(),
        }
    }

    /// Parquet physical type: INT64 = 2, DOUBLE = 5, BYTE_ARRAY = 6.
    fn physical(&self) -> i32 {
        match self {
            Column::Int64(_) | Column::TimestampMillis(_) => 2,
            Column::Double(_) => 5,
            Column::Utf8(_) => 6,
        }
    }

    /// Converted type: UTF8 = 0, TIMESTAMP_MILLIS = 9.
    fn converted(&self) -> Option<i32> {
        match self {
            Column::Utf8(_) => Some(0),
            Column::TimestampMillis(_) => Some(9),
            _ => None,
        }
    }

    fn plain(&self, rows: std::ops::Range<usize>) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Column::Int64(v) | Column::TimestampMillis(v) => {
                v[rows].iter().for_each(|x| out.extend(x.to_le_bytes()));
            }
            Column::Double(v) => v[rows].iter().for_each(|x| out.extend(x.to_le_bytes())),
            Column::Utf8(v) => v[rows].iter().for_each(|s| {
                out.extend((s.len() as u32).to_le_bytes());
                out.extend(s.as_bytes());
            }),
        }
        out
    }
}

/// Why a table cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParquetError {
    #[error("column {0:?} has {1} values where the first column has {2}")]
    Ragged(String, usize, usize),
    #[error("a table needs at least one column")]
    NoColumns,
    #[error("column {0:?}: a page would exceed 2 GiB; write fewer rows per row group")]
    PageTooLarge(String),
}

/// Thrift compact protocol, only what the metadata needs.
struct Compact {
    out: Vec<u8>,
    last: Vec<i16>,
}

const T_I32: u8 = 5;
const T_I64: u8 = 6;
const T_BINARY: u8 = 8;
const T_LIST: u8 = 9;
const T_STRUCT: u8 = 12;

impl Compact {
    fn new() -> Self {
        Self {
            out: Vec::new(),
            last: vec![0],
        }
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn zigzag(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn field(&mut self, id: i16, kind: u8) {
        let last = self.last.last_mut().expect("inside a struct");
        let delta = id - *last;
        *last = id;
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | kind);
        } else {
            self.out.push(kind);
            self.zigzag(i64::from(id));
        }
    }

    fn i32(&mut self, id: i16, v: i32) {
        self.field(id, T_I32);
        self.zigzag(i64::from(v));
    }

    fn i64(&mut self, id: i16, v: i64) {
        self.field(id, T_I64);
        self.zigzag(v);
    }

    fn string(&mut self, id: i16, s: &str) {
        self.field(id, T_BINARY);
        self.varint(s.len() as u64);
        self.out.extend(s.as_bytes());
    }

    fn list_header(&mut self, id: i16, kind: u8, size: usize) {
        self.field(id, T_LIST);
        if size < 15 {
            self.out.push(((size as u8) << 4) | kind);
        } else {
            self.out.push(0xF0 | kind);
            self.varint(size as u64);
        }
    }

    /// Begins a struct: as a field (`Some(id)`) or as a list element (`None`).
    fn begin(&mut self, id: Option<i16>) {
        if let Some(id) = id {
            self.field(id, T_STRUCT);
        }
        self.last.push(0);
    }

    fn end(&mut self) {
        self.out.push(0);
        self.last.pop();
    }
}

/// A row group's rows and, per column, its chunk's (data page offset, size in bytes).
type RowGroup = (std::ops::Range<usize>, Vec<(i64, i64)>);

/// The whole file for `columns` (name, values), at most `rows_per_group` rows per row group.
pub fn write(
    columns: &[(&str, &Column)],
    rows_per_group: usize,
    created_by: &str,
) -> Result<Vec<u8>, ParquetError> {
    let (_, first) = columns.first().ok_or(ParquetError::NoColumns)?;
    let rows = first.len();
    for (name, c) in columns {
        if c.len() != rows {
            return Err(ParquetError::Ragged((*name).to_string(), c.len(), rows));
        }
    }
    let per_group = rows_per_group.max(1);
    let mut file = b"PAR1".to_vec();
    // (row range, per column: (data page offset, chunk size))
    let mut groups: Vec<RowGroup> = Vec::new();
    let mut start = 0;
    while start < rows || (rows == 0 && groups.is_empty()) {
        let range = start..(start + per_group).min(rows);
        let mut chunks = Vec::new();
        for (name, column) in columns {
            let data = column.plain(range.clone());
            let size =
                i32::try_from(data.len()).map_err(|_| ParquetError::PageTooLarge((*name).to_string()))?;
            let mut header = Compact::new();
            header.i32(1, 0); // DATA_PAGE
            header.i32(2, size);
            header.i32(3, size);
            header.begin(Some(5));
            header.i32(1, range.len() as i32);
            header.i32(2, 0); // PLAIN
            header.i32(3, 3); // RLE definition levels (none: required)
            header.i32(4, 3); // RLE repetition levels (none)
            header.end();
            header.out.push(0);
            let offset = file.len() as i64;
            file.extend(&header.out);
            file.extend(&data);
            chunks.push((offset, (header.out.len() + data.len()) as i64));
        }
        groups.push((range.clone(), chunks));
        start = range.end;
        if rows == 0 {
            break;
        }
    }
    let mut meta = Compact::new();
    meta.i32(1, 1);
    meta.list_header(2, T_STRUCT, columns.len() + 1);
    meta.begin(None);
    meta.string(4, "schema");
    meta.i32(5, columns.len() as i32);
    meta.end();
    for (name, column) in columns {
        meta.begin(None);
        meta.i32(1, column.physical());
        meta.i32(3, 0); // REQUIRED
        meta.string(4, name);
        if let Some(converted) = column.converted() {
            meta.i32(6, converted);
        }
        meta.end();
    }
    meta.i64(3, rows as i64);
    meta.list_header(4, T_STRUCT, groups.len());
    for (range, chunks) in &groups {
        meta.begin(None);
        meta.list_header(1, T_STRUCT, columns.len());
        for ((name, column), (offset, size)) in columns.iter().zip(chunks) {
            meta.begin(None);
            meta.i64(2, *offset);
            meta.begin(Some(3));
            meta.i32(1, column.physical());
            meta.list_header(2, T_I32, 2);
            meta.zigzag(0); // PLAIN
            meta.zigzag(3); // RLE
            meta.list_header(3, T_BINARY, 1);
            meta.varint(name.len() as u64);
            meta.out.extend(name.as_bytes());
            meta.i32(4, 0); // UNCOMPRESSED
            meta.i64(5, range.len() as i64);
            meta.i64(6, *size);
            meta.i64(7, *size);
            meta.i64(9, *offset);
            meta.end();
            meta.end();
        }
        meta.i64(2, chunks.iter().map(|c| c.1).sum());
        meta.i64(3, range.len() as i64);
        meta.end();
    }
    meta.string(6, created_by);
    meta.out.push(0);
    file.extend(&meta.out);
    file.extend((meta.out.len() as u32).to_le_bytes());
    file.extend(b"PAR1");
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thrift_compact_encodes_as_the_protocol_says() {
        let mut c = Compact::new();
        c.i32(1, -1); // field 1, delta 1, type i32, zigzag(-1) = 1
        c.i64(20, 300); // delta 19 > 15: long form, id zigzag 40, value zigzag 600 = [0xd8, 0x04]
        c.string(21, "ab");
        assert_eq!(c.out, [0x15, 0x01, 0x06, 40, 0xd8, 0x04, 0x18, 2, b'a', b'b']);
    }

    #[test]
    fn a_file_is_framed_and_ragged_tables_are_refused() {
        let a = Column::Int64(vec![1, 2, 3]);
        let b = Column::Utf8(vec!["x".into(), "y".into(), "zz".into()]);
        let bytes = write(&[("a", &a), ("b", &b)], 2, "test").unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        let meta_len =
            u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap()) as usize;
        assert!(meta_len > 20 && meta_len < bytes.len());
        let short = Column::Double(vec![1.0]);
        assert!(matches!(
            write(&[("a", &a), ("s", &short)], 10, "t"),
            Err(ParquetError::Ragged(..))
        ));
        assert_eq!(write(&[], 10, "t"), Err(ParquetError::NoColumns));
    }
}

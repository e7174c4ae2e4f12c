//! Reading a file the person named (an import, a backup, a picture) with a limit: the size on
//! disk says nothing about a device, a FIFO or a file that grows while it is read
//! (`tessera import /dev/zero`), so the read itself stops one byte past the limit.

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::refusal::Refusal;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused.
    Io(std::io::Error),
    /// It holds more than the limit.
    TooLarge {
        /// The limit, in bytes.
        max: usize,
    },
}

impl ReadError {
    /// The refusal for a file that should have been `what` ("an export", ...).
    pub fn refusal(self, path: &Path, what: &str) -> Refusal {
        let shown = path.display();
        match self {
            ReadError::Io(error) => Refusal::new(format!("could not read {shown}: {error}")),
            ReadError::TooLarge { max } => Refusal::new(format!(
                "{shown} is too large to be {what} (more than {max} bytes); nothing past that was read"
            )),
        }
    }
}

/// The whole file at `path` if it holds at most `max` bytes, in a buffer that is wiped when
/// dropped (the file may hold secrets). Never reads more than `max + 1` bytes.
pub fn read_limited(path: &Path, max: usize) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    // Sized from the file's length when it has one, so a regular file is read without the
    // buffer growing (each growth would leave an unwiped copy behind).
    let expected = file.metadata().map(|m| m.len().min(limit)).unwrap_or(0);
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(expected).unwrap_or(max)));
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > max {
        return Err(ReadError::TooLarge { max });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![1u8; 100]).unwrap();
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
        assert!(matches!(
            read_limited(&path, 99),
            Err(ReadError::TooLarge { max: 99 })
        ));
        assert!(matches!(
            read_limited(&dir.path().join("none"), 10),
            Err(ReadError::Io(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_after_the_limit() {
        let error = read_limited(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { max: 1000 }));
    }
}

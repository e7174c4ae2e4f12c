//! The demos' temporary folder: named for the process and the time, removed when the demo
//! ends, however it ends (a refusal, a panic, or Ctrl-C handled by the caller).

use std::path::{Path, PathBuf};

use crate::refusal::Refusal;

pub struct Scratch(PathBuf);

impl Scratch {
    /// A new folder's path (not yet made) and the time it is named for, in Unix seconds.
    pub fn new() -> Result<(Self, u64), Refusal> {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| Refusal::new("the system clock is set before 1970"))?
            .as_secs();
        let name = format!("tessera-demo-{}-{start}", std::process::id());
        Ok((Self(std::env::temp_dir().join(name)), start))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

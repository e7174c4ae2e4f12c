//! A private X display (Xvfb on a free display number) and what a person does on it, through
//! real input events: xdotool finds a window by its title, clicks into it and types (XTEST, as a
//! mouse and keyboard would), and ImageMagick's `import` takes a screenshot of the window.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A running Xvfb; stopped when dropped.
pub struct XDisplay {
    server: Child,
    name: String,
}

impl XDisplay {
    /// Starts Xvfb with one screen of `width` x `height`; Xvfb picks a free display number
    /// itself (`-displayfd`) and writes it once it accepts clients.
    pub fn start(width: u32, height: u32) -> Result<Self, String> {
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg(format!("{width}x{height}x24"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start Xvfb (Debian package xvfb): {e}"))?;
        let mut line = String::new();
        let read = server
            .stdout
            .take()
            .map(|out| BufReader::new(out).read_line(&mut line));
        let number = line.trim();
        if !matches!(read, Some(Ok(n)) if n > 0) || number.parse::<u32>().is_err() {
            let _ = server.kill();
            let status = server.wait();
            return Err(format!("Xvfb ended without a display ({status:?})"));
        }
        Ok(Self {
            name: format!(":{number}"),
            server,
        })
    }

    /// Points `command` at this display.
    pub fn configure<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.env("DISPLAY", &self.name)
    }

    /// The ids of the visible windows whose title is exactly `title`.
    pub fn windows(&self, title: &str) -> Result<Vec<String>, String> {
        let output = self
            .configure(&mut Command::new("xdotool"))
            .args(["search", "--onlyvisible", "--name"])
            .arg(format!("^{title}$"))
            .stderr(Stdio::null())
            .output()
            .map_err(|e| format!("could not run xdotool (Debian package xdotool): {e}"))?;
        // xdotool exits 1 when nothing matches.
        Ok(String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(String::from)
            .collect())
    }

    /// Waits up to `within` for a visible window titled `title`; returns its id.
    pub fn wait_for_window(&self, title: &str, within: Duration) -> Result<String, String> {
        let started = Instant::now();
        loop {
            if let Some(id) = self.windows(title)?.into_iter().next() {
                return Ok(id);
            }
            if started.elapsed() > within {
                return Err(format!("no window titled {title:?} within {within:?}"));
            }
            sleep(Duration::from_millis(250));
        }
    }

    /// Types `text` into the focused window, key by key.
    pub fn type_text(&self, text: &str) -> Result<(), String> {
        self.xdotool(&["type", "--delay", "60", text])
    }

    /// Presses keys by their X names (Return, Tab, ctrl+f).
    pub fn key(&self, keys: &[&str]) -> Result<(), String> {
        let mut args = vec!["key", "--delay", "120"];
        args.extend_from_slice(keys);
        self.xdotool(&args)
    }

    /// Clicks the left button at `x`, `y` of `window` (relative to its top left corner).
    pub fn click(&self, window: &str, x: u32, y: u32) -> Result<(), String> {
        let (x, y) = (x.to_string(), y.to_string());
        self.xdotool(&[
            "mousemove",
            "--window",
            window,
            "--sync",
            &x,
            &y,
            "click",
            "1",
        ])
    }

    /// Moves the pointer to `x`, `y` of `window` without clicking.
    pub fn move_pointer(&self, window: &str, x: u32, y: u32) -> Result<(), String> {
        let (x, y) = (x.to_string(), y.to_string());
        self.xdotool(&["mousemove", "--window", window, "--sync", &x, &y])
    }

    /// Saves a PNG of `window` (ImageMagick's `import`, which reads the X server's pixels).
    pub fn screenshot(&self, window: &str, to: &Path) -> Result<(), String> {
        let status = self
            .configure(&mut Command::new("import"))
            .args(["-window", window])
            .arg(format!("png:{}", to.display()))
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("could not run import (Debian package imagemagick): {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("import of window {window} failed ({status})"))
        }
    }

    fn xdotool(&self, args: &[&str]) -> Result<(), String> {
        let status = self
            .configure(&mut Command::new("xdotool"))
            .args(args)
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("could not run xdotool (Debian package xdotool): {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("xdotool {} failed ({status})", args.join(" ")))
        }
    }
}

impl Drop for XDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

//! What a screenshot of the installed app must show to count as one of its pages: not one flat
//! colour (a blank or unpainted window), the theme's primary colour somewhere (the app's own
//! buttons and bars, which a crash dialog or a toolkit's default window does not have), and a
//! change from the page before when a step should have moved to another page.

use std::path::Path;

/// An RGB picture, row by row.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Picture {
    /// Reads a PNG file (8 bits per channel; grey, RGB or with alpha).
    pub fn read(path: &Path) -> Result<Self, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("could not open {}: {e}", path.display()))?;
        Self::decode(std::io::BufReader::new(file))
            .map_err(|e| format!("{} is not a PNG this test reads: {e}", path.display()))
    }

    fn decode(input: impl std::io::BufRead + std::io::Seek) -> Result<Self, String> {
        let mut decoder = png::Decoder::new(input);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
        let size = reader
            .output_buffer_size()
            .ok_or("the picture is too large")?;
        let mut buffer = vec![0; size];
        let frame = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
        let channels = frame.color_type.samples();
        let bytes = &buffer[..frame.buffer_size()];
        let rgb = bytes
            .chunks_exact(channels)
            .map(|px| match channels {
                1 | 2 => [px[0]; 3],
                _ => [px[0], px[1], px[2]],
            })
            .collect();
        Ok(Self {
            width: frame.width,
            height: frame.height,
            rgb,
        })
    }

    /// How many different colours the picture has (a blank window has one or two).
    pub fn colours(&self) -> usize {
        let mut seen: Vec<[u8; 3]> = self.rgb.clone();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// The share of pixels within `tolerance` (per channel) of `colour`.
    pub fn share_near(&self, colour: [u8; 3], tolerance: u8) -> f64 {
        let near = self
            .rgb
            .iter()
            .filter(|px| {
                px.iter()
                    .zip(colour)
                    .all(|(a, b)| a.abs_diff(b) <= tolerance)
            })
            .count();
        near as f64 / self.rgb.len().max(1) as f64
    }

    /// The share of pixels that differ from `other`'s at the same place; pictures of different
    /// sizes differ entirely.
    pub fn share_changed(&self, other: &Picture) -> f64 {
        if (self.width, self.height) != (other.width, other.height) {
            return 1.0;
        }
        let changed = self
            .rgb
            .iter()
            .zip(&other.rgb)
            .filter(|(a, b)| a != b)
            .count();
        changed as f64 / self.rgb.len().max(1) as f64
    }
}

/// A half of the window, left or right of its middle column.
#[derive(Clone, Copy, Debug)]
pub enum Half {
    Left,
    Right,
}

/// Where a button is: the point to click, and its first row.
#[derive(Debug, PartialEq, Eq)]
pub struct Button {
    pub x: u32,
    pub y: u32,
    pub top: u32,
}

impl Picture {
    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// The centre of the lowest filled button in `colour` (the page's main action: Material's
    /// filled buttons are the theme's primary colour): the middle row of the lowest band of rows
    /// holding at least `min_run` such pixels side by side, and the middle of that row's
    /// longest run (the button's label, in another colour, may split it).
    pub fn lowest_button(&self, colour: [u8; 3], min_run: u32) -> Option<Button> {
        let longest_run = |y: u32| -> (u32, u32) {
            let (mut best, mut best_end, mut run) = (0, 0, 0);
            for x in 0..self.width {
                run = if near(self.at(x, y), colour, 8) {
                    run + 1
                } else {
                    0
                };
                if run > best {
                    (best, best_end) = (run, x);
                }
            }
            (best, best_end + 1 - best.max(1))
        };
        let bottom = (0..self.height)
            .rev()
            .find(|&y| longest_run(y).0 >= min_run)?;
        let top = (0..=bottom)
            .rev()
            .take_while(|&y| longest_run(y).0 >= min_run)
            .last()?;
        let middle = (top + bottom) / 2;
        let (length, start) = longest_run(middle);
        Some(Button {
            x: start + length / 2,
            y: middle,
            top,
        })
    }

    /// The centre of the lowest line of `colour`'s pixels (an outlined or text button's label,
    /// drawn in the primary colour) in the window's left or right half: the lowest band of rows
    /// holding such pixels in that half, and the middle of the pixels' extent across it.
    pub fn lowest_text(&self, colour: [u8; 3], half: Half) -> Option<(u32, u32)> {
        let columns = match half {
            Half::Left => 0..self.width / 2,
            Half::Right => self.width / 2..self.width,
        };
        let in_row = |y: u32| -> Vec<u32> {
            columns
                .clone()
                .filter(|&x| near(self.at(x, y), colour, 8))
                .collect()
        };
        let bottom = (0..self.height).rev().find(|&y| !in_row(y).is_empty())?;
        let top = (0..=bottom)
            .rev()
            .take_while(|&y| !in_row(y).is_empty())
            .last()?;
        let xs: Vec<u32> = (top..=bottom).flat_map(in_row).collect();
        let (left, right) = (*xs.iter().min()?, *xs.iter().max()?);
        Some(((left + right) / 2, (top + bottom) / 2))
    }

    /// The centre of the lowest outlined box (an outlined button, drawn in a grey outline, not
    /// the primary colour) in the window's left or right half: going up from the bottom, the
    /// first row with at least `min_run` pixels side by side that differ from the background
    /// (the bottom-left corner's colour) is its lower edge, and the next such row above rows
    /// without one is its upper edge.
    pub fn lowest_box(&self, half: Half, min_run: u32) -> Option<(u32, u32)> {
        self.outlined_box(half, min_run, (0..self.height).rev())
    }

    /// The centre of the highest outlined box in the window's left or right half, found as
    /// [`Picture::lowest_box`] finds the lowest, going down from the top.
    pub fn highest_box(&self, half: Half, min_run: u32) -> Option<(u32, u32)> {
        self.outlined_box(half, min_run, 0..self.height)
    }

    /// The first outlined box met going through `rows`: its first edge row, rows without an
    /// edge, then its other edge row.
    fn outlined_box(
        &self,
        half: Half,
        min_run: u32,
        mut rows: impl Iterator<Item = u32>,
    ) -> Option<(u32, u32)> {
        let background = self.at(0, self.height.checked_sub(1)?);
        let columns = match half {
            Half::Left => 0..self.width / 2,
            Half::Right => self.width / 2..self.width,
        };
        // The longest run of non-background pixels in row y: (length, first column).
        let longest_run = |y: u32| -> (u32, u32) {
            let (mut best, mut best_start, mut run) = (0, 0, 0);
            for x in columns.clone() {
                run = if self.at(x, y) == background {
                    0
                } else {
                    run + 1
                };
                if run > best {
                    (best, best_start) = (run, x + 1 - run);
                }
            }
            (best, best_start)
        };
        let edge = |y: u32| longest_run(y).0 >= min_run;
        let first = rows.find(|&y| edge(y))?;
        rows.find(|&y| !edge(y))?;
        let second = rows.find(|&y| edge(y))?;
        let (length, start) = longest_run(first);
        Some((start + (length - 1) / 2, (first + second) / 2))
    }

    /// The middle of the outlined box (a text field) just above row `below` in column `x`: going
    /// up from `below`, the first rows that differ from the background are the box's lower
    /// edge, the background inside follows, and the next different rows are its upper edge.
    pub fn box_above(&self, x: u32, below: u32) -> Option<(u32, u32)> {
        let background = self.at(x, below.checked_sub(1)?);
        let mut rows = (0..below).rev().map(|y| (y, self.at(x, y) != background));
        let lower = rows.find(|&(_, edge)| edge)?.0;
        rows.find(|&(_, edge)| !edge)?;
        let upper = rows.find(|&(_, edge)| edge)?.0;
        Some((x, (upper + lower) / 2))
    }
}

fn near(pixel: [u8; 3], colour: [u8; 3], tolerance: u8) -> bool {
    pixel
        .iter()
        .zip(colour)
        .all(|(a, b)| a.abs_diff(b) <= tolerance)
}

/// Why `picture` is not one of the app's pages, or None when it is: at least `min_colours`
/// colours and at least `min_primary` of its pixels (a share) in the theme's `primary` colour.
pub fn not_a_page(
    picture: &Picture,
    primary: [u8; 3],
    min_colours: usize,
    min_primary: f64,
) -> Option<String> {
    let colours = picture.colours();
    if colours < min_colours {
        return Some(format!(
            "the window is nearly blank: {colours} colours in {}x{} pixels",
            picture.width, picture.height
        ));
    }
    let share = picture.share_near(primary, 8);
    if share < min_primary {
        return Some(format!(
            "the theme's primary colour #{:02X}{:02X}{:02X} covers {:.3} % of the window: not the app's page",
            primary[0],
            primary[1],
            primary[2],
            share * 100.0
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIMARY: [u8; 3] = [0x1F, 0x5F, 0x8B];

    /// A PNG of `width` x `height` RGB pixels drawn by `paint`.
    fn png_of(width: u32, height: u32, paint: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let data: Vec<u8> = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| paint(x, y))
            .collect();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    fn picture(bytes: Vec<u8>) -> Picture {
        Picture::decode(std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn a_blank_window_is_not_a_page() {
        let blank = picture(png_of(40, 30, |_, _| [255, 255, 255]));
        assert_eq!(blank.colours(), 1);
        let why = not_a_page(&blank, PRIMARY, 8, 0.001).unwrap();
        assert!(why.contains("nearly blank: 1 colours in 40x30"), "{why}");
    }

    #[test]
    fn a_varied_window_without_the_primary_colour_is_not_a_page() {
        // A grey gradient: many colours, none of them the theme's blue.
        let grey = picture(png_of(64, 4, |x, _| [x as u8 * 3; 3]));
        assert_eq!(grey.colours(), 64);
        let why = not_a_page(&grey, PRIMARY, 8, 0.00001).unwrap();
        assert!(why.contains("#1F5F8B covers 0.000 %"), "{why}");
    }

    #[test]
    fn a_page_with_a_primary_button_is_a_page() {
        // A 10x2 button in the primary colour (5 % of 20x20) on a gradient.
        let page = picture(png_of(20, 20, |x, y| {
            if y < 2 && x < 10 {
                PRIMARY
            } else {
                [200, x as u8 * 10, y as u8 * 10]
            }
        }));
        assert!((page.share_near(PRIMARY, 0) - 0.05).abs() < 1e-9);
        assert_eq!(not_a_page(&page, PRIMARY, 8, 0.05), None);
        let why = not_a_page(&page, PRIMARY, 8, 0.06).unwrap();
        assert!(why.contains("covers 5.000 %"), "{why}");
    }

    #[test]
    fn changes_are_counted_pixel_by_pixel() {
        let before = picture(png_of(10, 10, |_, _| [0, 0, 0]));
        let after = picture(png_of(10, 10, |x, y| {
            if x == 0 && y < 5 {
                [1, 0, 0]
            } else {
                [0, 0, 0]
            }
        }));
        assert!((after.share_changed(&before) - 0.05).abs() < 1e-9);
        assert_eq!(before.share_changed(&before), 0.0);
        let other_size = picture(png_of(5, 10, |_, _| [0, 0, 0]));
        assert_eq!(other_size.share_changed(&before), 1.0);
    }

    #[test]
    fn the_lowest_filled_button_is_found_and_its_label_does_not_split_it_away() {
        // Two primary buttons: x 10..50, y 10..20 and x 20..80, y 60..70; the lower one carries
        // a white label at x 45..55 over its whole height.
        let page = picture(png_of(100, 80, |x, y| {
            let upper = (10..50).contains(&x) && (10..20).contains(&y);
            let lower = (20..80).contains(&x) && (60..70).contains(&y);
            let label = (45..55).contains(&x) && (60..70).contains(&y);
            if (upper || lower) && !label {
                PRIMARY
            } else {
                [250, 250, 250]
            }
        }));
        // The middle row (64) runs 20..45 and 55..80: the first longest run, 20..45, centre 32.
        assert_eq!(
            page.lowest_button(PRIMARY, 20),
            Some(Button {
                x: 32,
                y: 64,
                top: 60
            })
        );
        // Runs of 40 or more exist only in the upper button (the lower one's label splits it).
        assert_eq!(
            page.lowest_button(PRIMARY, 40),
            Some(Button {
                x: 30,
                y: 14,
                top: 10
            })
        );
        assert_eq!(page.lowest_button(PRIMARY, 90), None);
    }

    #[test]
    fn the_lowest_label_of_each_half_is_found_below_the_others() {
        // Two labels side by side (rows 50..=59) below a third across the middle (rows 10..=19).
        let page = picture(png_of(200, 80, |x, y| {
            let upper = (10..20).contains(&y) && (60..140).contains(&x);
            let left = (50..60).contains(&y) && (20..70).contains(&x);
            let right = (50..60).contains(&y) && (120..180).contains(&x);
            if upper || left || right {
                PRIMARY
            } else {
                [250, 250, 250]
            }
        }));
        assert_eq!(page.lowest_text(PRIMARY, Half::Left), Some((44, 54)));
        assert_eq!(page.lowest_text(PRIMARY, Half::Right), Some((149, 54)));
        let blank = picture(png_of(200, 80, |_, _| [250, 250, 250]));
        assert_eq!(blank.lowest_text(PRIMARY, Half::Left), None);
    }

    #[test]
    fn the_lowest_and_highest_outlined_boxes_of_each_half_are_found_by_their_edges() {
        // Outlined boxes (one-pixel grey edges): a wide one at rows 10..=30 and two side by side
        // at rows 50..=70, columns 10..=89 and 110..=189.
        let grey = [121, 116, 126];
        let page = picture(png_of(200, 90, |x, y| {
            let outline = |(left, right): (u32, u32), (top, bottom): (u32, u32)| {
                (x >= left && x <= right && (y == top || y == bottom))
                    || (y >= top && y <= bottom && (x == left || x == right))
            };
            if outline((10, 189), (10, 30))
                || outline((10, 89), (50, 70))
                || outline((110, 189), (50, 70))
            {
                grey
            } else {
                [250, 250, 250]
            }
        }));
        assert_eq!(page.lowest_box(Half::Left, 40), Some((49, 60)));
        assert_eq!(page.lowest_box(Half::Right, 40), Some((149, 60)));
        // The wide box, as much of it as lies in each half.
        assert_eq!(page.highest_box(Half::Left, 40), Some((54, 20)));
        assert_eq!(page.highest_box(Half::Right, 40), Some((144, 20)));
        let blank = picture(png_of(200, 90, |_, _| [250, 250, 250]));
        assert_eq!(blank.lowest_box(Half::Left, 40), None);
        assert_eq!(blank.highest_box(Half::Left, 40), None);
    }

    #[test]
    fn the_box_above_a_button_is_found_between_its_edges() {
        // A field outlined in grey from y 20 to y 40 (edges 2 px thick), a button from y 50.
        let page = picture(png_of(60, 60, |x, y| {
            let edge = (20..22).contains(&y) || (38..40).contains(&y);
            if y >= 50 {
                PRIMARY
            } else if edge && (5..55).contains(&x) {
                [120, 120, 120]
            } else {
                [250, 250, 250]
            }
        }));
        // Lower edge found at 39, upper edge at 21: the middle is row 30.
        assert_eq!(page.box_above(30, 50), Some((30, 30)));
        // Outside the field's columns there is no box.
        assert_eq!(page.box_above(2, 50), None);
    }

    #[test]
    fn grey_and_alpha_pictures_are_read_as_rgb() {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 2, 1);
        encoder.set_color(png::ColorType::GrayscaleAlpha);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[10, 255, 200, 128]).unwrap();
        writer.finish().unwrap();
        let grey = picture(out);
        assert_eq!(grey.share_near([10, 10, 10], 0), 0.5);
        assert_eq!(grey.share_near([200, 200, 200], 0), 0.5);
    }

    #[test]
    fn a_file_that_is_not_a_png_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shot.png");
        std::fs::write(&path, b"not a picture").unwrap();
        let error = Picture::read(&path).err().unwrap();
        assert!(
            error.contains("shot.png is not a PNG this test reads"),
            "{error}"
        );
    }
}

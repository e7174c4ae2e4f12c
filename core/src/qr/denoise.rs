//! Sensor speckle (isolated light or dark pixels) breaks the decoder's finder-pattern search long
//! before it would break the code's error correction. [`speckle`] judges how speckled a frame is:
//! a heavily speckled frame's first look is through the 3x3 median filter [`median3`], a lightly
//! speckled one gets that look last, and a clean one none (the filter would only cost time).
//!
//! Each column of three is sorted once and shared by the three windows that hold it; the median
//! of the nine is then the median of (the largest low, the middle middle, the smallest high),
//! which the property test checks against sorting each window. Per pixel that is a handful of
//! branch-free min/max, where a sorting network per window, fed through a per-pixel closure,
//! cost 25 ms of a 640x480 frame and made this pass most of a frame's time.

/// How far, in grey levels, a pixel must stand above or below both its left and right neighbours
/// to count as a speck.
const SPECK_STEP: u8 = 32;

/// How speckled a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Speckle {
    /// Fewer than [`LIGHT_PER_10K`] specks per 10,000 pixels.
    Clean,
    /// Some specks, fewer than [`HEAVY_PER_10K`].
    Light,
    /// Speckled enough that the finder patterns are likely broken.
    Heavy,
}

/// Specks per 10,000 pixels from which a frame is lightly speckled. On the scanning corpus, frames
/// without a code show at most 1, plain codes at most 15.
const LIGHT_PER_10K: u64 = 10;

/// Specks per 10,000 pixels from which a frame is heavily speckled. On the scanning corpus, frames
/// with 2-6 % salt and pepper show 187 or more; every other frame, turned, blurred or tilted codes
/// included, 78 or fewer.
const HEAVY_PER_10K: u64 = 100;

/// How speckled the frame is, judged on every eighth row. `luma` is as for [`median3`].
pub(super) fn speckle(width: usize, height: usize, stride: usize, luma: &[u8]) -> Speckle {
    let mut specks = 0u64;
    let mut looked = 0u64;
    for y in (4..height).step_by(8) {
        for three in luma[y * stride..y * stride + width].windows(3) {
            let (left, pixel, right) = (three[0], three[1], three[2]);
            let above = |side: u8| pixel > side.saturating_add(SPECK_STEP);
            let below = |side: u8| pixel.saturating_add(SPECK_STEP) < side;
            specks += u64::from((above(left) && above(right)) || (below(left) && below(right)));
            looked += 1;
        }
    }
    let per_10k = specks * 10_000 / looked.max(1);
    if per_10k >= HEAVY_PER_10K {
        Speckle::Heavy
    } else if per_10k >= LIGHT_PER_10K {
        Speckle::Light
    } else {
        Speckle::Clean
    }
}

/// The frame's pixels (row stride dropped), each replaced by the median of its 3x3
/// neighbourhood; edge pixels repeat the nearest row or column. `luma` holds `height` rows of
/// `width` pixels, `stride` bytes apart (checked by the caller's `LumaFrame`).
pub(super) fn median3(width: usize, height: usize, stride: usize, luma: &[u8]) -> Vec<u8> {
    let row = |y: usize| &luma[y * stride..y * stride + width];
    let mut out = vec![0; width * height];
    let (mut low, mut middle, mut high) = (vec![0; width], vec![0; width], vec![0; width]);
    for (y, out_row) in out.chunks_exact_mut(width).enumerate() {
        let above = row(y.saturating_sub(1));
        let here = row(y);
        let below = row((y + 1).min(height - 1));
        for (((l, m), h), column) in low
            .iter_mut()
            .zip(&mut middle)
            .zip(&mut high)
            .zip(above.iter().zip(here).zip(below))
        {
            (*l, *m, *h) = sort3(*column.0.0, *column.0.1, *column.1);
        }
        let edge = |left: usize, x: usize, right: usize| {
            median_of_columns(
                [low[left], low[x], low[right]],
                [middle[left], middle[x], middle[right]],
                [high[left], high[x], high[right]],
            )
        };
        out_row[0] = edge(0, 0, 1.min(width - 1));
        out_row[width - 1] = edge(width.saturating_sub(2), width - 1, width - 1);
        // The interior as whole windows, so the loop has no clamping and no bounds checks.
        for (((pixel, l), m), h) in out_row
            .iter_mut()
            .skip(1)
            .zip(low.windows(3))
            .zip(middle.windows(3))
            .zip(high.windows(3))
        {
            *pixel = median_of_columns([l[0], l[1], l[2]], [m[0], m[1], m[2]], [h[0], h[1], h[2]]);
        }
    }
    out
}

/// The median of a 3x3 window given its three sorted columns' lows, middles and highs.
fn median_of_columns(low: [u8; 3], middle: [u8; 3], high: [u8; 3]) -> u8 {
    let largest_low = low[0].max(low[1]).max(low[2]);
    let middle_middle = sort3(middle[0], middle[1], middle[2]).1;
    let smallest_high = high[0].min(high[1]).min(high[2]);
    sort3(largest_low, middle_middle, smallest_high).1
}

/// Three values in order, by min and max only.
fn sort3(a: u8, b: u8, c: u8) -> (u8, u8, u8) {
    let (low, high) = (a.min(b), a.max(b));
    (low.min(c), low.max(c).min(high), high.max(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The median of each pixel's clamped 3x3 window, by sorting the nine.
    fn by_sorting(width: usize, height: usize, stride: usize, luma: &[u8]) -> Vec<u8> {
        let at = |x: usize, y: usize| luma[y * stride + x];
        let mut out = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let mut window = Vec::new();
                for row in [y.saturating_sub(1), y, (y + 1).min(height - 1)] {
                    for column in [x.saturating_sub(1), x, (x + 1).min(width - 1)] {
                        window.push(at(column, row));
                    }
                }
                window.sort_unstable();
                out.push(window[4]);
            }
        }
        out
    }

    /// Stripes two pixels wide, as a code of two pixels a module has, with every `nth` pixel of
    /// the frame turned black or white by turns (`None`: none).
    fn stripes(width: usize, height: usize, nth: Option<usize>) -> Vec<u8> {
        let mut luma: Vec<u8> = (0..width * height)
            .map(|at| {
                if (at % width / 2).is_multiple_of(2) {
                    40
                } else {
                    210
                }
            })
            .collect();
        if let Some(nth) = nth {
            for (at, pixel) in luma.iter_mut().enumerate().filter(|(at, _)| at % nth == 0) {
                *pixel = if (at / nth).is_multiple_of(2) { 0 } else { 255 };
            }
        }
        luma
    }

    #[test]
    fn salt_and_pepper_is_speckle_and_edges_are_not() {
        let judge = |nth| speckle(64, 48, 64, &stripes(64, 48, nth));
        assert_eq!(judge(None), Speckle::Clean);
        // Every 37th pixel: 2.7 %, most of them specks against the stripes.
        assert_eq!(judge(Some(37)), Speckle::Heavy);
        assert_eq!(judge(Some(211)), Speckle::Light);
        assert_eq!(judge(Some(3001)), Speckle::Clean);
    }

    #[test]
    fn frames_too_narrow_or_low_to_judge_are_clean() {
        assert_eq!(speckle(2, 48, 2, &[0, 255].repeat(48)), Speckle::Clean);
        assert_eq!(speckle(64, 4, 64, &stripes(64, 4, Some(3))), Speckle::Clean);
    }

    proptest! {
        #[test]
        fn every_pixel_is_the_middle_of_its_sorted_window(
            (width, height, padding, luma) in (1usize..12, 1usize..12, 0usize..3).prop_flat_map(
                |(width, height, padding)| {
                    let len = (width + padding) * height;
                    (Just(width), Just(height), Just(padding), proptest::collection::vec(any::<u8>(), len))
                },
            )
        ) {
            let stride = width + padding;
            prop_assert_eq!(
                median3(width, height, stride, &luma),
                by_sorting(width, height, stride, &luma)
            );
        }

        #[test]
        fn sort3_orders_any_three(a: u8, b: u8, c: u8) {
            let mut sorted = [a, b, c];
            sorted.sort_unstable();
            prop_assert_eq!(sort3(a, b, c), (sorted[0], sorted[1], sorted[2]));
        }
    }

    #[test]
    fn lone_specks_go_and_edges_stay() {
        // A light 5x4 frame with a dark speck at (1, 1) and a dark right half from column 3.
        let frame: Vec<u8> = (0..20)
            .map(|i| match (i % 5, i / 5) {
                (1, 1) => 0,
                (x, _) if x >= 3 => 10,
                _ => 200,
            })
            .collect();
        let expected: Vec<u8> = (0..20).map(|i| if i % 5 >= 3 { 10 } else { 200 }).collect();
        assert_eq!(median3(5, 4, 5, &frame), expected);
    }

    #[test]
    fn a_single_pixel_frame_is_its_own_median() {
        assert_eq!(median3(1, 1, 1, &[77]), vec![77]);
    }
}

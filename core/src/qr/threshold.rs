//! ZXing's two binarisations, computed so the compiler can vectorise them: local thresholds
//! (`HybridBinarizer`: each 8x8 block's black point, averaged over the 5x5 blocks around it) and
//! one threshold for the whole frame (`GlobalHistogramBinarizer`: the valley between the two
//! peaks of a histogram of four rows).
//!
//! rxing's own binarisers set the matrix one pixel at a time through bounds-checked calls, which
//! was most of the time of a frame that reads at once (docs/PERFORMANCE.md). Here every pixel row
//! is compared whole against a row of per-pixel thresholds and packed a machine word at a time.
//! The matrices are rxing's, bit for bit: tests hold them to rxing's on random frames.

use rxing::common::{BitArray, BitMatrix};

use super::LumaFrame;

const BLOCK: usize = 8;
/// Blocks whose pixels span no more than this many grey levels hold no edge.
const MIN_DYNAMIC_RANGE: u8 = 24;
/// The least width and height with the 5x5 blocks the thresholds average over.
const MIN_SIDE: usize = BLOCK * 5;
const WORD_BITS: usize = usize::BITS as usize;

/// The black-and-white matrix of `frame` (dark pixels set), or `None` for a frame narrower or
/// lower than [`MIN_SIDE`].
pub(super) fn local(frame: &LumaFrame<'_>) -> Option<BitMatrix> {
    let LumaFrame {
        width,
        height,
        stride,
        luma,
    } = *frame;
    if width < MIN_SIDE || height < MIN_SIDE {
        return None;
    }
    let row = |y: usize| &luma[y * stride..y * stride + width];
    let blocks_wide = width.div_ceil(BLOCK);
    let blocks_high = height.div_ceil(BLOCK);
    let black_points = black_points(&row, width, height, blocks_wide, blocks_high);

    let words_per_row = width.div_ceil(WORD_BITS);
    let mut words = vec![0usize; words_per_row * height];
    let mut limits = vec![0u8; width];
    let mut previous = vec![0u8; width];
    let mut dark = scratch(width);
    let mut covered_to = 0;
    for block_y in 0..blocks_high {
        spread_thresholds(
            &black_points,
            blocks_wide,
            blocks_high,
            block_y,
            &mut limits,
        );
        let top = (block_y * BLOCK).min(height - BLOCK);
        for y in top..top + BLOCK {
            // The last block row is moved up to fit and overlaps the one before: a pixel there is
            // dark when either block's threshold makes it so.
            let limits = if y < covered_to {
                for (limit, earlier) in previous.iter_mut().zip(&limits) {
                    *limit = (*limit).max(*earlier);
                }
                &previous
            } else {
                &limits
            };
            pack_row(
                row(y),
                limits,
                &mut dark,
                &mut words[y * words_per_row..(y + 1) * words_per_row],
            );
        }
        covered_to = top + BLOCK;
        previous.copy_from_slice(&limits);
    }

    matrix(width, height, &words)
}

/// The black-and-white matrix of `frame` with one threshold for every pixel, or `None` when the
/// frame's histogram has no two peaks far enough apart to tell dark from light.
pub(super) fn global(frame: &LumaFrame<'_>) -> Option<BitMatrix> {
    let LumaFrame {
        width,
        height,
        stride,
        luma,
    } = *frame;
    let mut buckets = [0u32; BUCKETS];
    for y in (1..5).map(|fifth| height * fifth / 5) {
        for &pixel in &luma[y * stride + width / 5..y * stride + width * 4 / 5] {
            buckets[usize::from(pixel >> BUCKET_SHIFT)] += 1;
        }
    }
    // Dark is strictly below the black point; the point is at least one bucket above 0.
    let limits = vec![black_point(&buckets)? - 1; width];
    let words_per_row = width.div_ceil(WORD_BITS);
    let mut words = vec![0usize; words_per_row * height];
    let mut dark = scratch(width);
    for (y, row_words) in words.chunks_exact_mut(words_per_row).enumerate() {
        pack_row(
            &luma[y * stride..y * stride + width],
            &limits,
            &mut dark,
            row_words,
        );
    }
    matrix(width, height, &words)
}

const BUCKET_SHIFT: u8 = 3;
const BUCKETS: usize = 256 >> BUCKET_SHIFT;

/// The grey level between the histogram's dark and light peaks, nearer the light one, as ZXing
/// estimates it (including its scores' 32-bit wrap, so the matrices stay the same).
fn black_point(buckets: &[u32; BUCKETS]) -> Option<u8> {
    let mut first = 0;
    for (at, &count) in buckets.iter().enumerate() {
        if count > buckets[first] {
            first = at;
        }
    }
    let tallest = i64::from(buckets[first]);
    let mut second = 0;
    let mut second_score = 0;
    for (at, &count) in buckets.iter().enumerate() {
        let distance = at.abs_diff(first) as u64;
        let score = u64::from(count) * distance * distance;
        if score > second_score {
            second = at;
            second_score = score;
        }
    }
    let (dark, light) = (first.min(second), first.max(second));
    if light - dark <= BUCKETS / 16 {
        return None;
    }
    let mut valley = light - 1;
    let mut valley_score = -1;
    for at in (dark + 1..=light).rev() {
        let from_dark = (at - dark) as i64;
        let score =
            from_dark * from_dark * (light - at) as i64 * (tallest - i64::from(buckets[at]));
        if score as i32 > valley_score {
            valley = at;
            valley_score = score as i32;
        }
    }
    Some((valley as u8) << BUCKET_SHIFT)
}

/// rxing's matrix holding `words`, `width.div_ceil(WORD_BITS)` of them to a row.
fn matrix(width: usize, height: usize, words: &[usize]) -> Option<BitMatrix> {
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let mut bits = BitArray::with_size(width);
    for (y, row_words) in words.chunks_exact(width.div_ceil(WORD_BITS)).enumerate() {
        for (at, &word) in row_words.iter().enumerate() {
            bits.setBulk(at * WORD_BITS, word);
        }
        matrix.setRow(y as u32, &bits);
    }
    Some(matrix)
}

/// Each block's black point: the mean of its pixels, or for a block without an edge, a guess from
/// its darkest pixel and the blocks above and to the left.
fn black_points<'a>(
    row: &impl Fn(usize) -> &'a [u8],
    width: usize,
    height: usize,
    blocks_wide: usize,
    blocks_high: usize,
) -> Vec<u16> {
    let mut points = vec![0u16; blocks_wide * blocks_high];
    let mut sums = vec![0u16; width];
    let mut lows = vec![0u8; width];
    let mut highs = vec![0u8; width];
    for block_y in 0..blocks_high {
        let top = (block_y * BLOCK).min(height - BLOCK);
        sums.fill(0);
        lows.fill(u8::MAX);
        highs.fill(0);
        for y in top..top + BLOCK {
            for (((sum, low), high), &pixel) in
                sums.iter_mut().zip(&mut lows).zip(&mut highs).zip(row(y))
            {
                *sum += u16::from(pixel);
                *low = (*low).min(pixel);
                *high = (*high).max(pixel);
            }
        }
        for block_x in 0..blocks_wide {
            let left = (block_x * BLOCK).min(width - BLOCK);
            let columns = left..left + BLOCK;
            let sum: u32 = sums[columns.clone()].iter().map(|&s| u32::from(s)).sum();
            let low = lows[columns.clone()]
                .iter()
                .copied()
                .min()
                .unwrap_or(u8::MAX);
            let high = highs[columns].iter().copied().max().unwrap_or(0);
            let mut point = (sum >> 6) as u16;
            if high - low <= MIN_DYNAMIC_RANGE {
                point = u16::from(low) / 2;
                if block_y > 0 && block_x > 0 {
                    let at = |x: usize, y: usize| u32::from(points[y * blocks_wide + x]);
                    let neighbours = (at(block_x, block_y - 1)
                        + 2 * at(block_x - 1, block_y)
                        + at(block_x - 1, block_y - 1))
                        / 4;
                    if u32::from(low) < neighbours {
                        point = neighbours as u16;
                    }
                }
            }
            points[block_y * blocks_wide + block_x] = point;
        }
    }
    points
}

/// The threshold of every pixel column of block row `block_y`: the mean black point of the 5x5
/// blocks around each block (moved inwards at the frame's edges).
fn spread_thresholds(
    points: &[u16],
    blocks_wide: usize,
    blocks_high: usize,
    block_y: usize,
    limits: &mut [u8],
) {
    let width = limits.len();
    limits.fill(0);
    let middle_y = block_y.clamp(2, blocks_high - 3);
    let mut column_sums = vec![0u32; blocks_wide];
    for y in middle_y - 2..=middle_y + 2 {
        for (sum, &point) in column_sums.iter_mut().zip(&points[y * blocks_wide..]) {
            *sum += u32::from(point);
        }
    }
    for block_x in 0..blocks_wide {
        let middle_x = block_x.clamp(2, blocks_wide - 3);
        let threshold = column_sums[middle_x - 2..=middle_x + 2].iter().sum::<u32>() / 25;
        let threshold = u8::try_from(threshold).unwrap_or(u8::MAX);
        // The last block column is moved left to fit and overlaps the one before: a pixel there
        // is dark when either block's threshold makes it so.
        let left = (block_x * BLOCK).min(width - BLOCK);
        for limit in &mut limits[left..left + BLOCK] {
            *limit = (*limit).max(threshold);
        }
    }
}

/// Sets the bit of every pixel of `pixels` at or below its threshold (a threshold of 0 still makes
/// a pixel of 0 dark), least significant bit first as rxing's matrix keeps them. `dark` is scratch
/// space of whole words (see [`scratch`]): comparing the whole row into it first, then packing
/// eight bytes at a time, is what vectorises.
fn pack_row(pixels: &[u8], limits: &[u8], dark: &mut [u8], words: &mut [usize]) {
    for ((dark, &pixel), &limit) in dark.iter_mut().zip(pixels).zip(limits) {
        *dark = u8::from(pixel <= limit);
    }
    for (word, dark) in words.iter_mut().zip(dark.chunks_exact(WORD_BITS)) {
        let mut bits = 0usize;
        for (at, eight) in dark.chunks_exact(8).enumerate() {
            let eight = u64::from_le_bytes(eight.try_into().expect("chunks of eight"));
            bits |= usize::from(gather_bits(eight)) << (8 * at);
        }
        *word = bits;
    }
}

/// Scratch space for [`pack_row`]: a row of `width` pixels rounded up to whole words, the bytes
/// past the row staying 0 (not dark).
fn scratch(width: usize) -> Vec<u8> {
    vec![0; width.div_ceil(WORD_BITS) * WORD_BITS]
}

/// The low bits of eight bytes of 0 or 1 as one byte, the first byte's as its lowest bit: the
/// multiplication moves byte `i`'s bit to bit 56 + i, and no two partial products meet.
fn gather_bits(bytes: u64) -> u8 {
    (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
    use rxing::{Binarizer, Luma8Source};

    use super::*;

    /// A frame of `width x height` pixels `stride` apart: cells of dark and light with noise, so
    /// blocks with and without edges both occur, and the same pixels packed without padding.
    fn blotches(width: usize, height: usize, stride: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
        let mut state = seed | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let cell = 3 + (next() % 9) as usize;
        let dark = (next() % 120) as u8;
        let light = dark + 10 + (next() % 120) as u8;
        let across = width / cell + 1;
        let cells: Vec<bool> = (0..across * (height / cell + 1))
            .map(|_| next() % 2 == 0)
            .collect();
        let mut luma = vec![0u8; stride * height];
        for y in 0..height {
            for x in 0..width {
                let base = if cells[(y / cell) * across + x / cell] {
                    dark
                } else {
                    light
                };
                luma[y * stride + x] = base.saturating_add((next() % 6) as u8);
            }
        }
        let packed = (0..height)
            .flat_map(|y| luma[y * stride..y * stride + width].to_vec())
            .collect();
        (luma, packed)
    }

    fn rxings<B: Binarizer>(binarizer: B) -> Option<BitMatrix> {
        binarizer.get_black_matrix().ok().cloned()
    }

    fn source(width: usize, height: usize, packed: Vec<u8>) -> Luma8Source<'static> {
        Luma8Source::new(packed, width as u32, height as u32).unwrap()
    }

    proptest! {
        #[test]
        fn both_binarisations_are_rxings_bit_for_bit(
            (width, height, padding, seed) in (40usize..150, 40usize..120, 0usize..9, any::<u64>())
        ) {
            let stride = width + padding;
            let (luma, packed) = blotches(width, height, stride, seed);
            let frame = LumaFrame { width, height, stride, luma: &luma };
            prop_assert_eq!(
                local(&frame),
                rxings(HybridBinarizer::new(source(width, height, packed.clone())))
            );
            prop_assert_eq!(
                global(&frame),
                rxings(GlobalHistogramBinarizer::new(source(width, height, packed)))
            );
        }
    }

    #[test]
    fn eight_flags_gather_into_one_byte_in_order() {
        for byte in 0..=255u8 {
            let flags: [u8; 8] = std::array::from_fn(|bit| (byte >> bit) & 1);
            assert_eq!(gather_bits(u64::from_le_bytes(flags)), byte);
        }
    }

    #[test]
    fn a_black_frame_has_no_global_threshold() {
        let luma = vec![0u8; 64 * 48];
        let frame = LumaFrame {
            width: 64,
            height: 48,
            stride: 64,
            luma: &luma,
        };
        assert!(global(&frame).is_none());
    }

    #[test]
    fn frames_too_small_for_the_blocks_have_no_local_thresholds() {
        let luma = vec![0u8; 39 * 50];
        assert!(
            local(&LumaFrame {
                width: 39,
                height: 50,
                stride: 39,
                luma: &luma
            })
            .is_none()
        );
        assert!(
            local(&LumaFrame {
                width: 50,
                height: 39,
                stride: 50,
                luma: &luma
            })
            .is_none()
        );
    }
}

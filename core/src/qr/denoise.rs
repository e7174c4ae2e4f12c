//! A 3x3 median filter: the last look at a camera frame the other passes found no code in,
//! for sensor speckle (isolated light or dark pixels), which breaks the decoder's finder-pattern
//! search long before it would break the code's error correction.

/// The frame's pixels (row stride dropped), each replaced by the median of its 3x3
/// neighbourhood; edge pixels repeat the nearest row or column.
pub(super) fn median3(width: usize, height: usize, pixel: impl Fn(usize, usize) -> u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(width * height);
    let mut window = [0u8; 9];
    for y in 0..height {
        let rows = [y.saturating_sub(1), y, (y + 1).min(height - 1)];
        for x in 0..width {
            let columns = [x.saturating_sub(1), x, (x + 1).min(width - 1)];
            for (slot, (row, column)) in window.iter_mut().zip(
                rows.iter()
                    .flat_map(|&r| columns.iter().map(move |&c| (r, c))),
            ) {
                *slot = pixel(column, row);
            }
            out.push(median9(window));
        }
    }
    out
}

/// The middle of nine values by a fixed network of 19 compare-exchanges (Paeth's, as in
/// Devillard, "Fast median search", 1998): several times faster per pixel than a selection.
fn median9(mut p: [u8; 9]) -> u8 {
    const NETWORK: [(usize, usize); 19] = [
        (1, 2),
        (4, 5),
        (7, 8),
        (0, 1),
        (3, 4),
        (6, 7),
        (1, 2),
        (4, 5),
        (7, 8),
        (0, 3),
        (5, 8),
        (4, 7),
        (3, 6),
        (1, 4),
        (2, 5),
        (4, 7),
        (4, 2),
        (6, 4),
        (4, 2),
    ];
    for (a, b) in NETWORK {
        if p[a] > p[b] {
            p.swap(a, b);
        }
    }
    p[4]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_network_gives_the_middle_of_the_sorted_values(window in any::<[u8; 9]>()) {
            let mut sorted = window;
            sorted.sort_unstable();
            prop_assert_eq!(median9(window), sorted[4]);
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
        let out = median3(5, 4, |x, y| frame[y * 5 + x]);
        let expected: Vec<u8> = (0..20).map(|i| if i % 5 >= 3 { 10 } else { 200 }).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn a_single_pixel_frame_is_its_own_median() {
        assert_eq!(median3(1, 1, |_, _| 77), vec![77]);
    }
}

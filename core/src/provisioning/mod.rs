//! Turning what a person brings (URIs, links, typed data) into what the token provisions.

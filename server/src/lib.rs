//! `tessera-server`'s library: everything the binary runs, public so that the fuzz targets
//! and the tests reach the request and configuration parsers and the router's route list.

pub mod answer_sealing;
pub mod api_keys;
pub mod authn;
pub mod challenge_questions;
pub mod commands;
pub mod commit_batch;
pub mod config;
pub mod database;
pub mod error;
pub mod http;
pub mod issuer_import;
pub mod key_rotation;
pub mod mail;
pub mod master_key;
pub mod password_input;
pub mod passwords;
pub mod pskc;
pub mod qr_svg;
pub mod questions;
pub mod serve_options;
pub mod throttle;
pub mod token_store;
pub mod user_import;
pub mod user_names;
pub mod web;

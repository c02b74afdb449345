//! Parts of the app shell shared by every page.

pub mod alert_banner;
pub mod palette;
pub mod rail;
pub mod refusals;
pub mod setup;
pub mod sign_in;
pub mod status_bar;
pub mod top_bar;

pub mod badges;
pub mod charts;
pub mod field;
pub mod items_editor;
pub mod layout;
pub mod modal;
pub mod page_data;
pub mod queue;

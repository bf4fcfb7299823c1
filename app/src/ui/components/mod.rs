pub mod badges;
pub mod field;
pub mod layout;

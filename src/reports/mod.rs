//! What the state of things is, for people: the 宿題事項一覧 handed out at the
//! next meeting ([`follow_up`]), the dashboard's figures ([`dashboard`]) and the
//! meetings with their open work ([`meeting_list`]). Pages and exports render
//! these answers; none of them queries on its own.
mod dashboard;
mod follow_up;
mod meeting_list;
mod task_sheet;

pub use dashboard::{
    DashboardItem, DepartmentFigures, DepartmentItems, Overview, department_items, overview,
};
pub use follow_up::{FollowUpReport, ReportGroup, ReportItem, follow_up};
pub use meeting_list::{MeetingRow, meeting_list};
pub use task_sheet::{SheetRow, task_sheet};

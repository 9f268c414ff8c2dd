// The strings of the chat menu (mute, pin, archive, unread mark), presence, "who reacted" and Web
// Push, in the languages of i18n.js (which merges them in).
export const CHAT_STRINGS = {
  en: {
    chatMenu: 'Chat options', mute1h: 'Mute for 1 hour', mute8h: 'Mute for 8 hours', muteForever: 'Mute forever',
    unmute: 'Unmute', mutedForever: 'Muted', mutedUntil: 'Muted until {0}', pinChat: 'Pin', unpinChat: 'Unpin',
    moveUp: 'Move up', archive: 'Archive', unarchive: 'Unarchive', archived: 'Archived', archivedCount: 'Archived ({0})',
    markUnread: 'Mark as unread', markRead: 'Mark as read', pinnedChat: 'pinned', markedUnread: 'marked unread',
    presenceOnline: 'online', seenJustNow: 'last seen just now', seenAt: 'last seen today at {0}', seenOn: 'last seen {0}',
    seenRecently: 'last seen recently', seenWithinWeek: 'last seen within a week', seenWithinMonth: 'last seen within a month',
    seenLongAgo: 'last seen a long time ago', whoReacted: 'Who reacted', noReactors: 'No reactions',
    notifications: 'Notifications', pushEnable: 'Notify me on this device', pushOn: 'Notifications are on for this device',
    pushOff: 'Notifications are off', pushDenied: 'The browser blocks notifications for this site',
    pushUnsupported: 'This browser cannot show notifications', pushUnavailable: 'This server sends no browser notifications',
    pushService: 'notifications',
  },
  'zh-CN': {
    chatMenu: '聊天选项', mute1h: '免打扰 1 小时', mute8h: '免打扰 8 小时', muteForever: '永久免打扰',
    unmute: '取消免打扰', mutedForever: '已免打扰', mutedUntil: '免打扰至 {0}', pinChat: '置顶聊天', unpinChat: '取消置顶聊天',
    moveUp: '上移', archive: '归档', unarchive: '取消归档', archived: '已归档', archivedCount: '已归档（{0}）',
    markUnread: '标为未读', markRead: '标为已读', pinnedChat: '已置顶', markedUnread: '已标为未读',
    presenceOnline: '在线', seenJustNow: '刚刚在线', seenAt: '今天 {0} 在线', seenOn: '最后在线 {0}',
    seenRecently: '最近在线', seenWithinWeek: '一周内在线', seenWithinMonth: '一个月内在线',
    seenLongAgo: '很久以前在线', whoReacted: '谁做了回应', noReactors: '没有回应',
    notifications: '通知', pushEnable: '在此设备上通知我', pushOn: '此设备的通知已开启',
    pushOff: '通知已关闭', pushDenied: '浏览器禁止了此网站的通知',
    pushUnsupported: '此浏览器无法显示通知', pushUnavailable: '此服务器不发送浏览器通知',
    pushService: '通知',
  },
};

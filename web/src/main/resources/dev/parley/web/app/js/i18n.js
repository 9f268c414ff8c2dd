// UI strings in English and Simplified Chinese. The language comes from the user's choice (kept in
// localStorage) or else navigator.language; t(key, ...args) fills {0}, {1}, ... in order.
import { MESSAGING_STRINGS } from './i18n-messaging.js';
import { CHAT_STRINGS } from './i18n-chat.js';
import { MEDIA_STRINGS } from './i18n-media.js';
import { SEARCH_STRINGS } from './i18n-search.js';

const STRINGS = {
  en: {
    appName: 'Parley', email: 'E-mail', password: 'Password', displayName: 'Your name',
    code: 'Code from the e-mail', sendCode: 'Send code', codeSent: 'Code sent to {0}',
    register: 'Create account', login: 'Log in', loginWithCode: 'Log in with the code',
    usePassword: 'Password', useCode: 'E-mail code', newAccount: 'New account',
    passwordOptional: 'Password (optional, 8+ characters)',
    chats: 'Chats', friends: 'Friends', settings: 'Settings', noChats: 'No chats yet: add a friend.',
    connecting: 'Connecting…', online: 'Online', send: 'Send', messagePlaceholder: 'Message',
    recall: 'Recall', recalled: 'Message recalled', sending: 'Sending', sent: 'Sent', read: 'Read',
    failed: 'Not sent', loadingOlder: 'Loading…', back: 'Back', muted: 'muted',
    addFriend: 'Add a friend by e-mail', add: 'Add', requestSent: 'Request sent',
    incoming: 'Requests', outgoing: 'Sent requests', accept: 'Accept', decline: 'Decline',
    cancel: 'Cancel', message: 'Message', block: 'Block', unblock: 'Unblock', blocked: 'Blocked',
    friendList: 'Friends', noSuchUser: 'No such user', newGroup: 'New group', groupTitle: 'Group name',
    create: 'Create', members: 'Members', invite: 'Invite', remove: 'Remove', leave: 'Leave group',
    profile: 'Profile', save: 'Save', saved: 'Saved', sessions: 'Sessions', thisDevice: 'this device',
    logoutDevice: 'Log out', logout: 'Log out of this device', language: 'Language',
    you: 'You', unknownUser: 'User {0}', groupCreated: '{0} created the group “{1}”',
    membersAdded: '{0} added {1}', memberRemoved: '{0} removed {1}', memberLeft: '{0} left',
    titleChanged: '{0} renamed the group to “{1}”', roleChanged: '{0} changed a role',
    ownerChanged: '{0} is the owner now', disbanded: 'The group was disbanded', image: '[image]',
    file: '[file]', edited: 'edited', mentionBadge: '@', leftGroup: 'You are no longer in this group',
    close: 'Close', errorPrefix: 'Error: {0}', membersCount: '{0} members', lastSeen: 'last seen {0}',
  },
  'zh-CN': {
    appName: 'Parley', email: '电子邮箱', password: '密码', displayName: '你的名字',
    code: '邮件中的验证码', sendCode: '发送验证码', codeSent: '验证码已发送到 {0}',
    register: '创建账号', login: '登录', loginWithCode: '用验证码登录',
    usePassword: '密码', useCode: '邮箱验证码', newAccount: '新账号',
    passwordOptional: '密码（可选，至少 8 个字符）',
    chats: '聊天', friends: '好友', settings: '设置', noChats: '还没有聊天：先添加好友。',
    connecting: '连接中…', online: '在线', send: '发送', messagePlaceholder: '消息',
    recall: '撤回', recalled: '消息已撤回', sending: '发送中', sent: '已发送', read: '已读',
    failed: '未发送', loadingOlder: '加载中…', back: '返回', muted: '免打扰',
    addFriend: '通过电子邮箱添加好友', add: '添加', requestSent: '已发送请求',
    incoming: '好友请求', outgoing: '已发送的请求', accept: '接受', decline: '拒绝',
    cancel: '取消', message: '发消息', block: '屏蔽', unblock: '取消屏蔽', blocked: '已屏蔽',
    friendList: '好友', noSuchUser: '没有这个用户', newGroup: '新建群组', groupTitle: '群名称',
    create: '创建', members: '成员', invite: '邀请', remove: '移除', leave: '退出群组',
    profile: '个人资料', save: '保存', saved: '已保存', sessions: '登录设备', thisDevice: '本设备',
    logoutDevice: '退出登录', logout: '在本设备退出登录', language: '语言',
    you: '你', unknownUser: '用户 {0}', groupCreated: '{0} 创建了群组“{1}”',
    membersAdded: '{0} 添加了 {1}', memberRemoved: '{0} 移除了 {1}', memberLeft: '{0} 退出了群组',
    titleChanged: '{0} 将群名改为“{1}”', roleChanged: '{0} 更改了角色',
    ownerChanged: '{0} 现在是群主', disbanded: '群组已解散', image: '[图片]',
    file: '[文件]', edited: '已编辑', mentionBadge: '@', leftGroup: '你已不在此群组中',
    close: '关闭', errorPrefix: '错误：{0}', membersCount: '{0} 位成员', lastSeen: '最后在线 {0}',
  },
};

for (const l of Object.keys(STRINGS)) {
  Object.assign(STRINGS[l], MESSAGING_STRINGS[l], CHAT_STRINGS[l], MEDIA_STRINGS[l], SEARCH_STRINGS[l]);
}

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' };

function initial() {
  const chosen = localStorage.getItem('parley.lang');
  if (chosen && STRINGS[chosen]) return chosen;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let lang = initial();

export function language() {
  return lang;
}

export function setLanguage(l) {
  if (!STRINGS[l]) return;
  lang = l;
  localStorage.setItem('parley.lang', l);
  document.documentElement.lang = l;
}

export function t(key, ...args) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

document.documentElement.lang = lang;

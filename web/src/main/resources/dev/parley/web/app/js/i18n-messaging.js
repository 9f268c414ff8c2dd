// The strings of replies, edits, mentions, reactions, pins, typing, "read by" and forwards, in the
// languages of i18n.js (kept apart so that i18n.js stays short; i18n.js merges them in).
export const MESSAGING_STRINGS = {
  en: {
    reply: 'Reply', edit: 'Edit', react: 'React', pin: 'Pin', unpin: 'Unpin', forward: 'Forward',
    replyingTo: 'Replying to {0}', editing: 'Editing message', cancelReplyEdit: 'Cancel',
    messageDeleted: 'message deleted', saveEdit: 'Save', mentionAll: 'all', mentionsLabel: 'mentions',
    mentionSuggestions: 'Members to mention', nextMention: 'Next mention', reactions: 'Reactions',
    reactedBy: '{0}: {1}', pinned: 'Pinned message', pinnedCount: 'Pinned message {0} of {1}',
    pinnedEntry: '{0} pinned “{1}”', unpinnedEntry: '{0} unpinned “{1}”', aMessage: 'a message',
    typingOne: '{0} is typing…', typingTwo: '{0} and {1} are typing…', typingMany: 'Several people are typing…',
    uploadingPhoto: '{0} is sending a photo…', uploadingFile: '{0} is sending a file…',
    readBy: 'read by {0}', forwardedFrom: 'Forwarded from {0}', hiddenUser: 'a hidden user',
    forwardTo: 'Forward to', forwarded: 'Forwarded', noForwardTargets: 'No other chats to forward to',
  },
  'zh-CN': {
    reply: '回复', edit: '编辑', react: '表情回应', pin: '置顶', unpin: '取消置顶', forward: '转发',
    replyingTo: '回复 {0}', editing: '正在编辑消息', cancelReplyEdit: '取消',
    messageDeleted: '消息已删除', saveEdit: '保存', mentionAll: '所有人', mentionsLabel: '提到我',
    mentionSuggestions: '可提及的成员', nextMention: '下一条提及', reactions: '表情回应',
    reactedBy: '{0}：{1}', pinned: '置顶消息', pinnedCount: '置顶消息 {0}/{1}',
    pinnedEntry: '{0} 置顶了“{1}”', unpinnedEntry: '{0} 取消置顶“{1}”', aMessage: '一条消息',
    typingOne: '{0} 正在输入…', typingTwo: '{0} 和 {1} 正在输入…', typingMany: '多人正在输入…',
    uploadingPhoto: '{0} 正在发送图片…', uploadingFile: '{0} 正在发送文件…',
    readBy: '{0} 人已读', forwardedFrom: '转发自 {0}', hiddenUser: '隐藏的用户',
    forwardTo: '转发到', forwarded: '已转发', noForwardTargets: '没有可转发的其他聊天',
  },
};

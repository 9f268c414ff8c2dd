// The strings of search (ui/search.js), in the languages of i18n.js (which merges them in).
export const SEARCH_STRINGS = {
  en: {
    search: 'Search', searchLabel: 'Search chats, contacts and messages', contacts: 'Contacts',
    messages: 'Messages', searching: 'Searching…', searchBusy: 'Search is busy, retrying…',
    searchBusyLater: 'Search is busy: try again in a moment', nothingToSearch: 'Nothing to search for',
    noResults: 'No results', moreResults: 'More messages', formerChat: 'left', hitSender: '{0}:',
  },
  'zh-CN': {
    search: '搜索', searchLabel: '搜索聊天、联系人和消息', contacts: '联系人',
    messages: '消息', searching: '正在搜索…', searchBusy: '搜索繁忙，正在重试…',
    searchBusyLater: '搜索繁忙，请稍后再试', nothingToSearch: '没有可搜索的内容',
    noResults: '没有结果', moreResults: '更多消息', formerChat: '已退出', hitSender: '{0}：',
  },
};

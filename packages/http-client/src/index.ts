export * as SocialMessaging from "./SocialMessaging.js"

package com.aiw3.notification.channel;

import com.aiw3.events.notification.Channel;
import com.aiw3.notification.NotificationProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Email through Jakarta Mail (Spring's {@link JavaMailSender}): HTML with a plain-text alternative. */
@Component
class EmailSender implements ChannelSender {

    private final JavaMailSender mail;
    private final NotificationProperties.Email settings;
    private final EmailTemplates templates = new EmailTemplates();

    EmailSender(JavaMailSender mail, NotificationProperties properties) {
        this.mail = mail;
        this.settings = properties.email();
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    @Override
    public String send(Outgoing message) {
        try {
            MimeMessage mime = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
            helper.setFrom(settings.from());
            helper.setTo(message.recipient());
            helper.setSubject(message.title());
            helper.setText(templates.text(message), templates.html(message));
            mail.send(mime);
            return mime.getMessageID();
        } catch (MessagingException e) {
            throw new ProviderException("the email could not be built: " + e.getMessage(), false, e);
        } catch (MailException e) {
            throw new ProviderException("SMTP refused or is unreachable: " + e.getMessage(), true, e);
        }
    }
}
